package io.github.deepanomaly;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.deepanomaly.score.FeatureExplanation;
import io.github.deepanomaly.score.ScoreDistribution;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import org.apache.commons.math3.distribution.BinomialDistribution;
import org.apache.commons.math3.special.Erf;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Explanations, normalized scores and confidence of the autoencoder, on data whose answers are known. */
class AutoencoderExplanationsTest {
    /** Named like sensor readings so that names from the assembler cannot be mistaken for the f0, f1, ... fallback. */
    private static final String[] NAMES = {"voltage", "current", "temperature", "pressure", "flow", "vibration"};
    private static final int SHIFTED = 3;
    private static final int ANOMALIES = 60;

    private static SparkSession spark;
    private static Dataset<Row> assembled;
    private static AutoencoderDetectorModel model;

    @BeforeAll
    static void fitOnce() {
        spark = SparkTestSession.get();
        Dataset<Row> table = SyntheticData.shiftedFeature(spark, NAMES, 3000, ANOMALIES, SHIFTED, 6.0, 5);
        assembled = new VectorAssembler().setInputCols(NAMES).setOutputCol("features").transform(table).cache();
        model = quickDetector().fit(assembled);
    }

    /**
     * As in AutoencoderDetectorTest, a bottleneck of 2 for data driven by 2 latent factors, but 20 epochs:
     * after 8 the network still smeared more of the shifted feature's error onto others (55 of 60 hits,
     * measured with averagingFrequency 10).
     */
    private static AutoencoderDetector quickDetector() {
        return new AutoencoderDetector().setHiddenLayers(4, 2).setMaxIter(20).setBatchSize(64);
    }

    /** A copy of the shared model, so that each test sets only the params it is about. */
    private static AutoencoderDetectorModel shared() {
        return model.copy(ParamMap.empty());
    }

    private static double[] column(Dataset<Row> scored, String name) {
        return scored.select(name).collectAsList().stream().mapToDouble(r -> r.getDouble(0)).toArray();
    }

    @Test
    void newColumnsAreOffByDefault() {
        AutoencoderDetector detector = new AutoencoderDetector();
        assertEquals("", detector.getExplanationCol());
        assertEquals(3, detector.getExplainTopK());
        assertEquals("", detector.getNormalizedScoreCol());
        assertEquals("rank", detector.getNormalization());
        assertEquals("", detector.getConfidenceCol());
        String explained = detector.explainParams();
        for (String name : List.of("explanationCol", "explainTopK", "normalizedScoreCol", "normalization",
                "confidenceCol")) {
            assertTrue(explained.contains(name + ":"), name + " missing from explainParams");
        }
        List<String> expected = new ArrayList<>(Arrays.asList(assembled.columns()));
        expected.addAll(List.of("anomalyScore", "prediction"));
        assertEquals(expected, Arrays.asList(shared().transform(assembled).columns()));
    }

    @Test
    void invalidValuesAndClashingColumnsAreRejected() {
        AutoencoderDetector detector = new AutoencoderDetector();
        assertThrows(IllegalArgumentException.class, () -> detector.setExplainTopK(0));
        assertThrows(IllegalArgumentException.class, () -> detector.setNormalization("minmax"));

        IllegalArgumentException taken = assertThrows(IllegalArgumentException.class,
                () -> shared().setExplanationCol("pressure").transform(assembled));
        assertEquals("Output column 'pressure' already exists; set explanationCol to another name", taken.getMessage());
        IllegalArgumentException twice = assertThrows(IllegalArgumentException.class,
                () -> shared().setNormalizedScoreCol("anomalyScore").transform(assembled));
        assertEquals("Output column 'anomalyScore' already exists; set normalizedScoreCol to another name",
                twice.getMessage());
        IllegalArgumentException sameAsPrediction = assertThrows(IllegalArgumentException.class,
                () -> shared().setConfidenceCol("prediction").transform(assembled));
        assertTrue(sameAsPrediction.getMessage().contains("set confidenceCol"), sameAsPrediction.getMessage());

        IllegalArgumentException noThreshold = assertThrows(IllegalArgumentException.class,
                () -> detector.setContamination(0).setConfidenceCol("confidence").transformSchema(assembled.schema()));
        assertTrue(noThreshold.getMessage().startsWith("confidenceCol needs a threshold and contamination > 0"),
                noThreshold.getMessage());
    }

    @Test
    void theShiftedFeatureExplainsTheAnomalyUnderItsAssemblerName() {
        Dataset<Row> explained = shared().setExplanationCol("why").transform(assembled).cache();
        assertEquals(FeatureExplanation.TYPE, explained.schema().apply("why").dataType());
        List<Row> anomalies = explained.where("label = 1.0").select("why").collectAsList();
        assertEquals(ANOMALIES, anomalies.size());
        int hits = 0;
        for (Row row : anomalies) {
            List<Row> entries = row.getList(0);
            assertEquals(3, entries.size());
            for (int i = 0; i < entries.size(); i++) {
                assertTrue(Set.of(NAMES).contains(entries.get(i).getString(0)), entries.toString());
                if (i > 0) {
                    assertTrue(entries.get(i - 1).getDouble(1) >= entries.get(i).getDouble(1), entries.toString());
                }
            }
            if (entries.get(0).getString(0).equals(NAMES[SHIFTED])) {
                hits++;
            }
        }
        // 58 of 60 measured (100% with data seeds 6 and 11); the misses blame "vibration", which the
        // network partly reconstructs from pressure
        assertTrue(hits >= 0.9 * ANOMALIES, "the shifted feature ranked first for only " + hits + " of " + ANOMALIES);

        // same forward pass, same scores as without the explanation
        assertArrayEquals(column(shared().transform(assembled), "anomalyScore"), column(explained, "anomalyScore"));
    }

    @Test
    void contributionsAverageToTheScore() {
        List<Row> rows = shared().setExplanationCol("why").setExplainTopK(50).transform(assembled)
                .select("anomalyScore", "why").limit(200).collectAsList();
        for (Row row : rows) {
            List<Row> entries = row.getList(1);
            assertEquals(NAMES.length, entries.size(), "top-K is capped at the number of features");
            double mean = entries.stream().mapToDouble(e -> e.getDouble(1)).sum() / NAMES.length;
            assertEquals(row.getDouble(0), mean, 1e-5 * Math.max(1, row.getDouble(0)));
        }
    }

    @Test
    void withoutAttributeMetadataFeaturesAreNumbered() {
        Dataset<Row> withMetadata = assembled.select("features", "label");
        StructType noMetadata = new StructType(Arrays.stream(withMetadata.schema().fields())
                .map(f -> new StructField(f.name(), f.dataType(), f.nullable(), Metadata.empty()))
                .toArray(StructField[]::new));
        Dataset<Row> bare = spark.createDataFrame(withMetadata.javaRDD(), noMetadata);
        List<Row> anomalies = shared().setExplanationCol("why").setExplainTopK(1).transform(bare)
                .where("label = 1.0").select("why").collectAsList();
        long hits = anomalies.stream().filter(r -> r.<Row>getList(0).get(0).getString(0).equals("f" + SHIFTED)).count();
        assertTrue(hits >= 0.9 * ANOMALIES, hits + " of " + ANOMALIES);
        for (Row row : anomalies) {
            assertTrue(row.<Row>getList(0).get(0).getString(0).matches("f[0-5]"), row.toString());
        }
    }

    /** Score and the given output columns of every training row, by increasing score. */
    private static double[][] byScore(Dataset<Row> scored, String... columns) {
        List<Row> rows = scored.select("anomalyScore", columns).collectAsList();
        double[][] table = new double[rows.size()][];
        for (int i = 0; i < rows.size(); i++) {
            double[] values = new double[columns.length + 1];
            for (int j = 0; j <= columns.length; j++) {
                values[j] = rows.get(i).getDouble(j);
            }
            table[i] = values;
        }
        Arrays.sort(table, Comparator.comparingDouble(r -> r[0]));
        return table;
    }

    private static void assertMonotoneWithin01(double[][] table, int column, String what) {
        for (int i = 0; i < table.length; i++) {
            double v = table[i][column];
            assertTrue(v >= 0 && v <= 1, what + " " + v + " outside [0, 1]");
            if (i > 0) {
                assertTrue(v >= table[i - 1][column], what + " falls from " + table[i - 1][column] + " to " + v
                        + " while the score rises from " + table[i - 1][0] + " to " + table[i][0]);
            }
        }
    }

    @Test
    void trainingScoreDistributionDescribesTheTrainingScores() {
        ScoreDistribution training = model.trainingScoreDistribution().orElseThrow();
        double[] scores = column(shared().transform(assembled), "anomalyScore");
        assertEquals(scores.length, training.count());
        double mean = Arrays.stream(scores).average().orElseThrow();
        double std = Math.sqrt(Arrays.stream(scores).map(s -> (s - mean) * (s - mean)).sum() / scores.length);
        assertEquals(mean, training.mean(), 1e-6 * mean);
        assertEquals(std, training.std(), 1e-6 * std);
        Arrays.sort(scores);
        assertEquals(scores[0], training.quantiles()[0]);
        assertEquals(scores[scores.length - 1], training.quantiles()[ScoreDistribution.SKETCH_SIZE - 1]);
        // the threshold and the sketch come from one digest: the 0.9 point is the threshold itself
        assertEquals(model.getThreshold(), training.quantiles()[900]);
    }

    @Test
    void rankNormalizationIsTheTrainingCdf() {
        double[][] table = byScore(shared().setNormalizedScoreCol("norm").transform(assembled), "norm");
        assertMonotoneWithin01(table, 1, "rank");
        int n = table.length;
        // each row's normalized score against its own rank among the training rows
        double worst = 0;
        for (int i = 0; i < n; i++) {
            worst = Math.max(worst, Math.abs(table[i][1] - (i + 1) / (double) n));
        }
        // measured 0.0009: within the sketch's spacing of 0.001
        assertTrue(worst < 0.003, "largest gap to the exact empirical CDF " + worst);
        assertEquals(1.0, table[n - 1][1]);
    }

    @Test
    void unifyNormalizationIsGaussianScaling() {
        ScoreDistribution training = model.trainingScoreDistribution().orElseThrow();
        double[][] table = byScore(shared().setNormalizedScoreCol("norm").setNormalization("unify")
                .transform(assembled), "norm");
        assertMonotoneWithin01(table, 1, "unify");
        for (double[] row : table) {
            double z = (row[0] - training.mean()) / training.std();
            double expected = z <= 0 ? 0 : Erf.erf(z / Math.sqrt(2));
            assertEquals(expected, row[1], 1e-12);
        }
        long zeros = Arrays.stream(table).filter(r -> r[1] == 0).count();
        assertTrue(zeros > table.length / 2, "scores at or below the mean map to 0, and most are: " + zeros);
    }

    @Test
    void confidenceIsHighFarFromTheThresholdAndLowNearIt() {
        double[][] table = byScore(shared().setConfidenceCol("confidence").setNormalizedScoreCol("rank")
                .transform(assembled), "prediction", "confidence", "rank");
        int n = table.length;
        double threshold = model.getThreshold();
        List<Double> far = new ArrayList<>();
        List<Double> near = new ArrayList<>();
        for (double[] row : table) {
            double confidence = row[2];
            assertTrue(confidence >= 0 && confidence <= 1, "confidence " + confidence);
            assertEquals(row[0] >= threshold ? 1.0 : 0.0, row[1]);
            double rank = row[3];
            if (rank <= 0.8 || rank >= 0.98) {
                far.add(confidence);
            } else if (Math.abs(rank - 0.9) <= 0.005) {
                near.add(confidence);
            }
        }
        double minFar = far.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
        double maxNear = near.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
        double meanNear = near.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        // measured: 1.0000 for all 2510 far rows; at most 0.82 and 0.66 on average for the 30 near ones
        assertTrue(minFar > 0.9, "far from the threshold confidence goes down to " + minFar);
        assertTrue(maxNear < minFar, "near the threshold confidence reaches " + maxNear);
        assertTrue(meanNear < 0.8, "near the threshold confidence averages " + meanNear);

        // PyOD's predict_confidence on the exact training scores, which the model has only as a sketch
        double[] sorted = Arrays.stream(table).mapToDouble(r -> r[0]).toArray();
        int anomalies = (int) (n * model.getContamination());
        double worst = 0;
        double total = 0;
        for (double[] row : table) {
            int atOrBelow = upperBound(sorted, row[0]);
            double p = (1.0 + atOrBelow) / (2.0 + n);
            double anomaly = 1 - new BinomialDistribution(null, n, p).cumulativeProbability(n - anomalies);
            double expected = row[1] == 1.0 ? anomaly : 1 - anomaly;
            worst = Math.max(worst, Math.abs(expected - row[2]));
            total += Math.abs(expected - row[2]);
        }
        // measured: mean gap 0.0002, largest 0.05, next to the threshold where confidence is steepest
        assertTrue(total / n < 0.002, "mean gap to PyOD's confidence " + total / n);
        assertTrue(worst < 0.1, "largest gap to PyOD's confidence " + worst);
    }

    /** How many of the sorted values are at or below {@code value}. */
    private static int upperBound(double[] sorted, double value) {
        int lo = 0;
        int hi = sorted.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (sorted[mid] <= value) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    @Test
    void unusableRowsKeptGetNullInEveryNewColumn() {
        Dataset<Row> withNull = assembled.select("features").limit(3)
                .union(assembled.select(functions.lit(null).cast(assembled.schema().apply("features").dataType())
                        .as("features")).limit(1));
        List<Row> rows = shared().setHandleInvalid("keep").setExplanationCol("why").setNormalizedScoreCol("norm")
                .setConfidenceCol("confidence").transform(withNull).where("features IS NULL")
                .select("anomalyScore", "prediction", "norm", "confidence", "why").collectAsList();
        assertEquals(1, rows.size());
        for (int i = 0; i < 5; i++) {
            assertTrue(rows.get(0).isNullAt(i), rows.get(0).toString());
        }
    }

    @Test
    void saveAndLoadKeepTheDistributionAndEveryOutput(@TempDir Path dir) throws Exception {
        AutoencoderDetectorModel fitted = quickDetector().setMaxIter(1).setExplanationCol("why")
                .setNormalizedScoreCol("norm").setConfidenceCol("confidence").fit(assembled);
        assertEquals("why", fitted.getExplanationCol(), "the estimator's params carry over to the model");
        String path = dir.resolve("model").toString();
        fitted.write().save(path);
        AutoencoderDetectorModel loaded = AutoencoderDetectorModel.load(path);
        assertEquals(fitted.trainingScoreDistribution(), loaded.trainingScoreDistribution());
        for (String normalization : List.of("rank", "unify")) {
            String[] outputs = {"anomalyScore", "prediction", "norm", "confidence", "why"};
            assertEquals(fitted.setNormalization(normalization).transform(assembled).select("label", outputs)
                            .collectAsList(),
                    loaded.setNormalization(normalization).transform(assembled).select("label", outputs)
                            .collectAsList());
        }
    }

    @Test
    void modelsSavedWithoutTheDistributionStillLoadAndScore(@TempDir Path dir) throws Exception {
        String path = dir.resolve("model").toString();
        model.write().save(path);
        Path state = dir.resolve("model").resolve("state.json");
        String json = Files.readString(state, StandardCharsets.UTF_8);
        String old = json.substring(0, json.indexOf(",\n  \"trainingScores\"")) + "\n}";
        Files.writeString(state, old, StandardCharsets.UTF_8);
        Files.delete(state.resolveSibling(".state.json.crc"));
        AutoencoderDetectorModel loaded = AutoencoderDetectorModel.load(path);
        assertTrue(loaded.trainingScoreDistribution().isEmpty());
        assertArrayEquals(column(model.transform(assembled), "anomalyScore"),
                column(loaded.transform(assembled), "anomalyScore"));
        assertEquals(List.of(), loaded.setExplanationCol("why").transform(assembled).where("size(why) != 3")
                .collectAsList(), "explanations need no training distribution");
        IllegalArgumentException needsRefit = assertThrows(IllegalArgumentException.class,
                () -> loaded.setNormalizedScoreCol("norm").transform(assembled));
        assertTrue(needsRefit.getMessage().startsWith("This model was saved without its training score distribution"),
                needsRefit.getMessage());
    }
}
