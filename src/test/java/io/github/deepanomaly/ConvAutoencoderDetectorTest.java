package io.github.deepanomaly;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.deepanomaly.core.RootCause;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The detector on real PNG files read by Spark's image source: 60 MNIST ones to fit on, 30 zeros as anomalies. */
class ConvAutoencoderDetectorTest {
    static final Path MNIST = Path.of("src/test/resources/images/mnist").toAbsolutePath();
    private static SparkSession spark;
    private static Dataset<Row> images;
    private static ConvAutoencoderDetectorModel model;

    @BeforeAll
    static void fitOnce() {
        spark = SparkTestSession.get();
        images = readImages(MNIST.toString())
                .withColumn("label", functions.when(digit().equalTo("1"), 0.0).otherwise(1.0)).cache();
        model = quickDetector().fit(images.where(digit().equalTo("1")));
    }

    static Dataset<Row> readImages(String dir) {
        return spark.read().format("image").option("recursiveFileLookup", "true").load(dir);
    }

    private static org.apache.spark.sql.Column digit() {
        return functions.element_at(functions.split(functions.col("image.origin"), "/"), -2);
    }

    /** Small and quick: a few filters and epochs are enough to tell a 0 from a 1. */
    static ConvAutoencoderDetector quickDetector() {
        return new ConvAutoencoderDetector().setFilters(8, 4).setLatentSize(16).setMaxIter(8).setBatchSize(16)
                .setStepSize(3e-3);
    }

    private static double[] scores(Dataset<Row> scored) {
        return scored.orderBy("image.origin").select("anomalyScore").collectAsList().stream()
                .mapToDouble(r -> r.getDouble(0)).toArray();
    }

    @Test
    void defaultsSuitImages() {
        ConvAutoencoderDetector detector = new ConvAutoencoderDetector();
        assertEquals("image", detector.getFeaturesCol());
        assertEquals(false, detector.getStandardization());
        assertEquals(0, detector.getImageHeight());
        assertEquals(28, model.getImageHeight());
        assertEquals(28, model.getImageWidth());
        assertEquals(1, model.getImageChannels());
        assertEquals(784, model.numFeatures());
    }

    @Test
    void zerosScoreHigherThanTheOnesItWasTrainedOn() {
        Dataset<Row> scored = model.transform(images);
        double auc = new AnomalyEvaluator().setLabelCol("label").evaluate(scored);
        assertTrue(auc > 0.95, "AUC-ROC " + auc);
        assertEquals(List.of("image", "label", "anomalyScore", "prediction"), List.of(scored.columns()));
    }

    @Test
    void theHeatmapIsThePerPixelErrorWhoseMeanIsTheScore() {
        ConvAutoencoderDetectorModel explaining = model.copy(new org.apache.spark.ml.param.ParamMap())
                .setExplanationCol("heatmap").setNormalizedScoreCol("normalized");
        List<Row> rows = explaining.transform(images).select("anomalyScore", "heatmap").collectAsList();
        assertEquals(90, rows.size());
        for (Row row : rows) {
            Vector heatmap = (Vector) row.get(1);
            assertEquals(784, heatmap.size());
            double mean = 0;
            for (double v : heatmap.toArray()) {
                assertTrue(v >= 0);
                mean += v / heatmap.size();
            }
            assertEquals(row.getDouble(0), mean, 1e-6 * Math.max(1, mean));
        }
        assertEquals(List.of("image", "label", "anomalyScore", "prediction", "normalized", "heatmap"),
                List.of(explaining.transform(images).columns()));
    }

    @Test
    void pixelVectorsScoreLikeTheImagesTheyComeFrom() {
        Dataset<Row> vectors = images.select(functions.col("image.origin").as("origin"),
                functions.col("image"));
        org.apache.spark.sql.api.java.UDF1<Row, Vector> toVector =
                new io.github.deepanomaly.image.ImagePixels(model.imageShape())::toVector;
        vectors = vectors.withColumn("pixels", functions.udf(toVector,
                org.apache.spark.ml.linalg.SQLDataTypes.VectorType()).apply(functions.col("image")));
        ConvAutoencoderDetectorModel onVectors = model.copy(new org.apache.spark.ml.param.ParamMap())
                .setFeaturesCol("pixels");
        double[] fromVectors = onVectors.transform(vectors).orderBy("origin").select("anomalyScore")
                .collectAsList().stream().mapToDouble(r -> r.getDouble(0)).toArray();
        assertArrayEquals(scores(model.transform(images)), fromVectors, 1e-12);
        // and a vector column trains too, given the image size
        ConvAutoencoderDetectorModel fitted = quickDetector().setMaxIter(1).setFeaturesCol("pixels")
                .setImageHeight(28).setImageWidth(28).fit(vectors);
        assertEquals(1, fitted.getImageChannels());
    }

    @Test
    void pipelineRoundTripScoresIdentically(@TempDir Path dir) throws Exception {
        Dataset<Row> ones = images.where(digit().equalTo("1"));
        Pipeline pipeline = new Pipeline().setStages(new PipelineStage[] {quickDetector().setMaxIter(2)});
        PipelineModel fitted = pipeline.fit(ones);
        String path = dir.resolve("model").toUri().toString();
        fitted.write().save(path);
        PipelineModel loaded = PipelineModel.load(path);
        assertArrayEquals(scores(fitted.transform(images)), scores(loaded.transform(images)));
        ConvAutoencoderDetectorModel restored = (ConvAutoencoderDetectorModel) loaded.stages()[0];
        assertEquals(((ConvAutoencoderDetectorModel) fitted.stages()[0]).getThreshold(), restored.getThreshold());
        assertArrayEquals(new int[] {8, 4}, restored.getFilters());
        assertEquals(28, restored.getImageWidth());
    }

    @Test
    void aFileThatIsNoImageFailsTheFitWithItsNameUnlessSkipped(@TempDir Path dir) throws Exception {
        Path folder = dir.resolve("1");
        Files.createDirectories(folder);
        for (String name : List.of("t10k-00002.png", "t10k-00005.png", "t10k-00014.png")) {
            Files.copy(MNIST.resolve("1").resolve(name), folder.resolve(name));
        }
        Files.writeString(folder.resolve("notes.txt"), "not an image");
        Dataset<Row> withText = readImages(dir.toString());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> quickDetector().setMaxIter(1).setValidationFraction(0).fit(withText));
        assertTrue(e.getMessage().contains("1 unusable image") && e.getMessage().contains("not a decodable image")
                && e.getMessage().contains("notes.txt") && e.getMessage().contains("handleInvalid"), e.getMessage());
        ConvAutoencoderDetectorModel skipping = quickDetector().setMaxIter(1).setValidationFraction(0).setHandleInvalid("skip").fit(withText);
        assertEquals(3, skipping.transform(withText).count());
        assertEquals(4, skipping.setHandleInvalid("keep").transform(withText).count());
        assertEquals(1, skipping.setHandleInvalid("keep").transform(withText)
                .where(functions.col("anomalyScore").isNull()).count());
    }

    @Test
    void aColourImageForAGreyModelFailsWithOneLineOrIsKeptWithANullScore(@TempDir Path dir) throws Exception {
        BufferedImage colour = new BufferedImage(28, 28, BufferedImage.TYPE_INT_RGB);
        colour.setRGB(3, 4, 0xff0000);
        ImageIO.write(colour, "png", dir.resolve("colour.png").toFile());
        Dataset<Row> input = readImages(dir.toString());
        Exception e = assertThrows(Exception.class, () -> model.transform(input).collectAsList());
        Throwable cause = RootCause.of(e);
        assertTrue(cause instanceof IllegalArgumentException, cause.toString());
        assertTrue(cause.getMessage().contains("28x28 colour instead of 28x28 grey")
                && cause.getMessage().contains("colour.png"), cause.getMessage());
        Row kept = model.copy(new org.apache.spark.ml.param.ParamMap()).setHandleInvalid("keep").transform(input)
                .select("anomalyScore", "prediction").first();
        assertNull(kept.get(0));
        assertNull(kept.get(1));
    }

    @Test
    void imagesOfMixedSizesFailTheFitNamingBothSizes(@TempDir Path dir) throws Exception {
        for (String name : List.of("t10k-00002.png", "t10k-00005.png")) {
            Files.copy(MNIST.resolve("1").resolve(name), dir.resolve(name));
        }
        ImageIO.write(new BufferedImage(32, 30, BufferedImage.TYPE_BYTE_GRAY), "png", dir.resolve("big.png").toFile());
        Dataset<Row> mixed = readImages(dir.toString());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> quickDetector().setMaxIter(1).setImageHeight(28).setImageWidth(28).fit(mixed));
        assertTrue(e.getMessage().contains("30x32 grey instead of 28x28 grey") && e.getMessage().contains("big.png"),
                e.getMessage());
    }

    @Test
    void aColumnOfAnotherTypeIsRefusedNamingIt() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> quickDetector().setFeaturesCol("label").fit(images));
        assertTrue(e.getMessage().startsWith("Column 'label' must hold images"), e.getMessage());
    }
}
