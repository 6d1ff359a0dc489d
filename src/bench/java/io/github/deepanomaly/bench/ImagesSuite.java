package io.github.deepanomaly.bench;

import io.github.deepanomaly.AnomalyEvaluator;
import io.github.deepanomaly.ConvAutoencoderDetector;
import io.github.deepanomaly.cli.Args;
import io.github.deepanomaly.cli.Detectors;
import io.github.deepanomaly.cli.ParamSettings;
import io.github.deepanomaly.cli.Report;
import io.github.deepanomaly.cli.UsageException;
import io.github.deepanomaly.core.ScoringModel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.ml.Model;
import org.apache.spark.ml.image.ImageSchema;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The MNIST one-class protocol of shared/data/README.md: for each digit k, fit on the even-index test images
 * of k (about 500), score all 5,000 odd-index images with k normal and every other digit an anomaly. The
 * convolutional autoencoder reads the images as Spark's image struct; the dense autoencoder and Isolation
 * Forest, with their default params, read the same pixels scaled to [0, 1] as a Vector, in the same run.
 * {@code --set} changes the convolutional autoencoder's params only.
 */
final class ImagesSuite implements Suite {
    static final String CONV = "convAutoencoder";
    static final String DENSE = "autoencoder";
    static final String FOREST = "iforest";
    static final long DEFAULT_SEED = 42;

    @Override
    public String name() {
        return "images";
    }

    @Override
    public String usage() {
        return "--data DIR (MNIST's t10k IDX files) [--digits 0,1,...] [--seed N] [--set param=value ...]"
                + " [--contenders convAutoencoder,autoencoder,iforest]";
    }

    @Override
    public Set<String> options() {
        return Set.of("data", "digits", "seed", "set", "contenders");
    }

    @Override
    public void run(SparkSession spark, Args args, Table table, Report report) throws Exception {
        MnistIdx mnist = MnistIdx.read(Path.of(args.required("data")), "--data");
        List<Integer> digits = new ArrayList<>();
        for (String d : args.list("digits").isEmpty() ? List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9")
                : args.list("digits")) {
            if (!d.matches("[0-9]")) {
                throw new UsageException("--digits takes digits 0 to 9 separated by commas, got '" + d + "'");
            }
            digits.add(Integer.parseInt(d));
        }
        List<String> contenders = args.list("contenders").isEmpty() ? List.of(CONV, DENSE, FOREST)
                : args.list("contenders");
        long seed = BenchmarkCommand.positiveLong(args, "seed", DEFAULT_SEED);
        ParamSettings.apply(new ConvAutoencoderDetector(), args.settings());
        WarmUp.once(spark, report);

        Dataset<Row> all = frame(spark, mnist).cache();
        Dataset<Row> test = all.where(functions.col("index").mod(2).equalTo(1)).cache();
        long scoredImages = test.count();
        table.columns(new Table.Column("digit", "%d"), Table.Column.text("detector"),
                new Table.Column("fitImages", "%d"), new Table.Column("aucRoc", "%.4f"),
                new Table.Column("aucPr", "%.4f"), new Table.Column("fitSeconds", "%.2f"),
                new Table.Column("imagesPerSec", "%.0f"), new Table.Column("epochs", "%d"));
        List<Object> perDigit = new ArrayList<>();
        Map<String, double[]> sums = new LinkedHashMap<>();
        contenders.forEach(c -> sums.put(c, new double[1]));
        int convAhead = 0;
        // in this thread, before Spark's tasks run: what one task of the default network takes natively
        OffHeapProbe memory = OffHeapProbe.measure(new io.github.deepanomaly.image.ImageShape(mnist.height(),
                mnist.width(), 1));
        for (int digit : digits) {
            Dataset<Row> fit = all.where(functions.col("index").mod(2).equalTo(0)
                    .and(functions.col("digit").equalTo(digit))).cache();
            long fitImages = fit.count();
            Dataset<Row> labelled = test.withColumn("label",
                    functions.when(functions.col("digit").equalTo(digit), 0.0).otherwise(1.0));
            Map<String, Object> figures = new LinkedHashMap<>();
            figures.put("digit", digit);
            Map<String, Double> aucs = new LinkedHashMap<>();
            for (String name : contenders) {
                Contender contender = contender(name, args.settings());
                long start = System.nanoTime();
                Model<?> model = contender.fit(fit, fitImages, seed);
                double fitSeconds = Measure.secondsSince(start);
                Dataset<Row> scores = model.transform(labelled).select(functions.col("label"),
                        functions.col(contender.scoreCol())).cache();
                start = System.nanoTime();
                scores.count();
                double scoreSeconds = Measure.secondsSince(start);
                AnomalyEvaluator.Metrics metrics = new AnomalyEvaluator().setLabelCol("label")
                        .setScoreCol(contender.scoreCol()).evaluateAll(scores);
                scores.unpersist();
                int epochs = model instanceof ScoringModel ours && ours.trainingSummary().isPresent()
                        ? ours.trainingSummary().get().epochs() : 0;
                table.row(digit, name, fitImages, metrics.areaUnderROC(), metrics.areaUnderPR(), fitSeconds,
                        scoredImages / scoreSeconds, epochs);
                figures.put(name, Measure.figures("aucRoc", Measure.round(metrics.areaUnderROC()),
                        "aucPr", Measure.round(metrics.areaUnderPR()), "fitSeconds", Measure.round(fitSeconds),
                        "imagesPerSecond", Measure.round(scoredImages / scoreSeconds)));
                aucs.put(name, metrics.areaUnderROC());
                sums.get(name)[0] += metrics.areaUnderROC();
            }
            if (aucs.containsKey(CONV) && aucs.entrySet().stream()
                    .allMatch(e -> e.getKey().equals(CONV) || e.getValue() < aucs.get(CONV))) {
                convAhead++;
            }
            perDigit.add(figures);
            fit.unpersist();
        }
        test.unpersist();
        all.unpersist();
        Map<String, Object> mean = new LinkedHashMap<>();
        sums.forEach((name, sum) -> mean.put(name, Measure.round(sum[0] / digits.size())));
        report.line("mean AUC-ROC over %d digits: %s; the conv autoencoder ahead of both others on %d", digits.size(),
                mean, convAhead)
                .line("native (ND4J) memory of one task with the default network: %.0f MB fitting minibatches, %.0f MB"
                        + " scoring batches of %d images (resident memory growth, an upper bound)",
                        memory.fitBytes() / 1e6, memory.scoreBytes() / 1e6, OffHeapProbe.SCORE_BATCH_ROWS);
        report.figure("protocol", "MNIST t10k: fit on the even-index images of one digit, score the odd-index ones")
                .figure("seed", seed).figure("scoredImages", scoredImages).figure("convSettings", args.settings())
                .figure("convAheadOfBoth", convAhead)
                .figure("offHeapFitMegabytes", Measure.round(memory.fitBytes() / 1e6))
                .figure("offHeapScoreMegabytes", Measure.round(memory.scoreBytes() / 1e6))
                .figure("digits", perDigit).figure("meanAucRoc", mean);
    }

    private static Contender contender(String name, List<String> convSettings) {
        return switch (name) {
            case CONV -> {
                Contender conv = Contender.ours(Detectors.CONV_AUTOENCODER, convSettings);
                yield new Contender(CONV, rows -> {
                    ConvAutoencoderDetector d = (ConvAutoencoderDetector) conv.estimator().apply(rows);
                    return d.setFeaturesCol("image");
                }, conv.scoreCol());
            }
            case DENSE -> Contender.ours(DENSE);
            case FOREST -> Contender.isolationForest();
            default -> throw new UsageException("Unknown contender '" + name + "'; use " + CONV + ", " + DENSE + ", "
                    + FOREST);
        };
    }

    /** index, digit, the image as Spark's image struct, and its pixels in [0, 1] as the features Vector. */
    static Dataset<Row> frame(SparkSession spark, MnistIdx mnist) {
        StructType schema = new StructType().add("index", DataTypes.IntegerType, false)
                .add("digit", DataTypes.IntegerType, false)
                .add("image", ImageSchema.columnSchema(), false)
                .add(Contender.FEATURES, SQLDataTypes.VectorType(), false);
        List<Row> rows = new ArrayList<>(mnist.size());
        for (int i = 0; i < mnist.size(); i++) {
            byte[] pixels = mnist.pixels()[i];
            double[] values = new double[pixels.length];
            for (int p = 0; p < pixels.length; p++) {
                values[p] = (pixels[p] & 0xFF) / 255.0;
            }
            Row image = RowFactory.create("mnist:t10k/" + i, mnist.height(), mnist.width(), 1,
                    ImageSchema.ocvTypes().get("CV_8UC1").get(), pixels);
            rows.add(RowFactory.create(i, mnist.labels()[i], image, Vectors.dense(values)));
        }
        int partitions = spark.sparkContext().defaultParallelism();
        return spark.createDataFrame(rows, schema).repartition(partitions);
    }
}
