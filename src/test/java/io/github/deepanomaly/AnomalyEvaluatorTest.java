package io.github.deepanomaly;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.regression.LinearRegression;
import org.apache.spark.ml.regression.LinearRegressionModel;
import org.apache.spark.ml.tuning.TrainValidationSplit;
import org.apache.spark.ml.tuning.TrainValidationSplitModel;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AnomalyEvaluatorTest {
    private static final double EPS = 1e-12;
    private final SparkSession spark = SparkTestSession.get();

    // ---------------------------------------------------------------- hand-computed metrics

    @Test
    void areaUnderRocWithoutTiesIsFractionOfCorrectlyOrderedPairs() {
        // anomalies 0.9, 0.6; normals 0.7, 0.4, 0.2 -> 2 * 3 = 6 pairs.
        // 0.9 beats all 3 normals, 0.6 beats 0.4 and 0.2: 5 of 6 pairs ordered correctly.
        Dataset<Row> df = scored(new double[] {0.9, 0.7, 0.6, 0.4, 0.2}, new double[] {1, 0, 1, 0, 0});
        assertEquals(5.0 / 6, new AnomalyEvaluator().evaluate(df), EPS);
    }

    @Test
    void areaUnderRocCountsATiedPairAsOneHalf() {
        // anomalies 0.9, 0.8; normals 0.8, 0.3 -> 4 pairs.
        // (0.9,0.8)=1, (0.9,0.3)=1, (0.8,0.8)=1/2 tie, (0.8,0.3)=1 -> 3.5 / 4.
        Dataset<Row> df = scored(new double[] {0.9, 0.8, 0.8, 0.3}, new double[] {1, 0, 1, 0});
        assertEquals(0.875, new AnomalyEvaluator().evaluate(df), EPS);
    }

    @Test
    void areaUnderPrIsAveragePrecisionOverDistinctScoreGroups() {
        // Same table, P = 2. Thresholds descending:
        //   s >= 0.9: TP 1 of 1 -> precision 1,   recall 1/2, step 1/2 -> 1/2 * 1
        //   s >= 0.8: TP 2 of 3 -> precision 2/3, recall 1,   step 1/2 -> 1/2 * 2/3
        //   s >= 0.3: recall stays 1, step 0
        // AP = 1/2 + 1/3 = 5/6, as sklearn's average_precision_score. Here breaking the tie
        // pessimistically happens to agree, so the next table tells grouping from tie-breaking.
        AnomalyEvaluator eval = new AnomalyEvaluator().setMetricName("areaUnderPR");
        assertEquals(5.0 / 6, eval.evaluate(
                scored(new double[] {0.9, 0.8, 0.8, 0.3}, new double[] {1, 0, 1, 0})), EPS);

        // anomalies 0.9, 0.5, 0.5; normals 0.5, 0.1. P = 3.
        //   s >= 0.9: TP 1 of 1 -> 1/3 * 1
        //   s >= 0.5: TP 3 of 4 -> 2/3 * 3/4 = 1/2
        // AP = 1/3 + 1/2 = 5/6. Pessimistic tie-breaking (normal first) would give
        // 1/3 * (1 + 2/3 + 3/4) = 29/36 and optimistic 1/3 * (1 + 1 + 1) = 1.
        assertEquals(5.0 / 6, eval.evaluate(
                scored(new double[] {0.9, 0.5, 0.5, 0.5, 0.1}, new double[] {1, 1, 1, 0, 0})), EPS);
    }

    @Test
    void precisionAtKUsesExpectedPrecisionWhenTheKthSlotFallsInATie() {
        // P = 3, so k = 3. Slot 1: 0.9 (anomaly). Slots 2-3 come from the tied group at 0.8, which
        // holds 1 anomaly in 3 rows: expected anomalies in 2 slots = 2 * 1/3.
        // precision = (1 + 2/3) / 3 = 5/9.
        Dataset<Row> df = scored(new double[] {0.9, 0.8, 0.8, 0.8, 0.1}, new double[] {1, 1, 0, 0, 1});
        assertEquals(5.0 / 9, new AnomalyEvaluator().setMetricName("precisionAtK").evaluate(df), EPS);
    }

    @Test
    void bestF1IsTheMaximumOverScoreThresholds() {
        // P = 3. F1 = 2 TP / (predicted + P) for "score >= t":
        //   t=0.9: 2*1/(1+3)=0.5  t=0.8: 2*1/(2+3)=0.4  t=0.7: 2*2/(3+3)=2/3
        //   t=0.6: 2*3/(4+3)=6/7  t=0.5: 2*3/(5+3)=3/4  t=0.4: 2*3/(6+3)=2/3
        Dataset<Row> df = scored(new double[] {0.9, 0.8, 0.7, 0.6, 0.5, 0.4}, new double[] {1, 0, 1, 1, 0, 0});
        AnomalyEvaluator eval = new AnomalyEvaluator().setMetricName("bestF1");
        assertEquals(6.0 / 7, eval.evaluate(df), EPS);
        AnomalyEvaluator.Metrics all = eval.evaluateAll(df);
        assertEquals(6.0 / 7, all.bestF1(), EPS);
        assertEquals(0.6, all.bestF1Threshold(), 0.0);
    }

    @Test
    void f1AtThresholdComparesThePredictionColumnWithTheLabel() {
        // label      1 1 0 0 1
        // prediction 1 0 1 0 1  -> TP 2, FP 1, FN 1 -> F1 = 2*2 / (2*2 + 1 + 1) = 2/3.
        // The scores would give bestF1 1.0, so a score-based answer cannot pass.
        Dataset<Row> df = frame(new StructType()
                        .add("anomalyScore", DataTypes.DoubleType)
                        .add("label", DataTypes.DoubleType)
                        .add("prediction", DataTypes.DoubleType),
                row(0.9, 1.0, 1.0), row(0.8, 1.0, 0.0), row(0.2, 0.0, 1.0), row(0.1, 0.0, 0.0), row(0.7, 1.0, 1.0));
        assertEquals(2.0 / 3, new AnomalyEvaluator().setMetricName("f1AtThreshold").evaluate(df), EPS);
        AnomalyEvaluator.Metrics all = new AnomalyEvaluator().evaluateAll(df);
        assertEquals(2.0 / 3, all.f1AtThreshold(), EPS);
        assertEquals(1.0, all.bestF1(), EPS);
        assertEquals(5, all.rows());
        assertEquals(3, all.anomalies());
    }

    @Test
    void evaluateAllLeavesF1AtThresholdNaNWithoutAPredictionColumn() {
        Dataset<Row> df = scored(new double[] {0.9, 0.8, 0.8, 0.3}, new double[] {1, 0, 1, 0});
        assertTrue(Double.isNaN(new AnomalyEvaluator().evaluateAll(df).f1AtThreshold()));
    }

    @Test
    void perfectSeparationScoresOneOnEveryCurveMetric() {
        Dataset<Row> df = scored(new double[] {0.95, 0.9, 0.3, 0.2, 0.1}, new double[] {1, 1, 0, 0, 0});
        AnomalyEvaluator.Metrics m = new AnomalyEvaluator().evaluateAll(df);
        assertEquals(1.0, m.areaUnderROC(), EPS);
        assertEquals(1.0, m.areaUnderPR(), EPS);
        assertEquals(1.0, m.precisionAtK(), EPS);
        assertEquals(1.0, m.bestF1(), EPS);
        assertEquals(0.9, m.bestF1Threshold(), 0.0);
    }

    @Test
    void reversedScoresGiveZeroRoc() {
        // Every normal outranks every anomaly. AP: thresholds 0.9, 0.8 add no recall;
        // s >= 0.2: TP 1 of 3 -> 1/2 * 1/3; s >= 0.1: TP 2 of 4 -> 1/2 * 1/2; AP = 1/6 + 1/4 = 5/12.
        Dataset<Row> df = scored(new double[] {0.9, 0.8, 0.2, 0.1}, new double[] {0, 0, 1, 1});
        AnomalyEvaluator.Metrics m = new AnomalyEvaluator().evaluateAll(df);
        assertEquals(0.0, m.areaUnderROC(), EPS);
        assertEquals(5.0 / 12, m.areaUnderPR(), EPS);
        assertEquals(0.0, m.precisionAtK(), EPS);
    }

    @Test
    void integerLabelsAndFloatScoresAreAccepted() {
        Dataset<Row> ints = frame(new StructType()
                        .add("anomalyScore", DataTypes.FloatType)
                        .add("label", DataTypes.IntegerType),
                row(0.9f, 1), row(0.8f, 0), row(0.8f, 1), row(0.3f, 0));
        Dataset<Row> bytes = frame(new StructType()
                        .add("anomalyScore", DataTypes.LongType)
                        .add("label", DataTypes.ByteType),
                row(9L, (byte) 1), row(8L, (byte) 0), row(8L, (byte) 1), row(3L, (byte) 0));
        // The tied-score table from areaUnderRocCountsATiedPairAsOneHalf: 3.5 / 4.
        assertEquals(0.875, new AnomalyEvaluator().evaluate(ints), EPS);
        assertEquals(0.875, new AnomalyEvaluator().evaluate(bytes), EPS);
    }

    @Test
    void negativeAndPositiveZeroScoresAreOneTiedGroup() {
        // If -0.0 and 0.0 were separate groups, the anomaly at 0.0 would outrank the normal at -0.0
        // and AUC would be 1.0 instead of the tie's 1/2.
        Dataset<Row> df = scored(new double[] {0.0, -0.0}, new double[] {1, 0});
        assertEquals(0.5, new AnomalyEvaluator().evaluate(df), EPS);
    }

    // ---------------------------------------------------------------- exactness at scale

    /**
     * A few thousand rows spread over 4 input partitions and 4 sort partitions, so every partition
     * but the first starts from offsets carried over from the others. Step 0.1 makes ~60 distinct
     * scores (heavy ties); step 1e-4 makes nearly every score distinct.
     */
    @ParameterizedTest
    @ValueSource(doubles = {0.1, 1e-4})
    void exactMetricsMatchIndependentRowLevelReferencesAcrossPartitions(double step) {
        Random random = new Random(20260101L);
        int n = 4000;
        double[] scores = new double[n];
        double[] labels = new double[n];
        for (int i = 0; i < n; i++) {
            labels[i] = random.nextDouble() < 0.1 ? 1 : 0;
            scores[i] = Math.round((labels[i] + random.nextGaussian()) / step) * step;
        }
        Dataset<Row> df = scored(scores, labels).repartition(4);

        String key = "spark.sql.shuffle.partitions";
        String previous = spark.conf().get(key);
        // The evaluator range-sorts distinct scores into this many partitions; the shared session's
        // 2 would only test a single carried offset.
        spark.conf().set(key, "4");
        try {
            AnomalyEvaluator eval = new AnomalyEvaluator();
            AnomalyEvaluator.Metrics m = eval.evaluateAll(df);
            assertEquals(n, m.rows());
            assertEquals(Arrays.stream(labels).sum(), m.anomalies(), 0.0);
            assertEquals(aucByMidranks(scores, labels), m.areaUnderROC(), 1e-12);
            assertEquals(averagePrecisionPerAnomaly(scores, labels), m.areaUnderPR(), 1e-12);
            assertEquals(expectedPrecisionAtK(scores, labels), m.precisionAtK(), 1e-12);
            assertEquals(bestF1ByBruteForce(scores, labels), m.bestF1(), 1e-12);
            for (String metric : List.of("areaUnderROC", "areaUnderPR", "precisionAtK", "bestF1")) {
                assertEquals(m.metric(metric), eval.setMetricName(metric).evaluate(df), 1e-15, metric);
            }
        } finally {
            spark.conf().set(key, previous);
        }
    }

    /** Mann-Whitney: (sum of anomaly midranks - P(P+1)/2) / (P N), ranks ascending by score. */
    private static double aucByMidranks(double[] scores, double[] labels) {
        int n = scores.length;
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(scores[a], scores[b]));
        double rankSum = 0;
        long positives = 0;
        for (int start = 0; start < n; ) {
            int end = start;
            while (end < n && scores[order[end]] == scores[order[start]]) {
                end++;
            }
            double midrank = (start + 1 + end) / 2.0; // mean of ranks start+1 .. end
            for (int i = start; i < end; i++) {
                if (labels[order[i]] == 1) {
                    rankSum += midrank;
                    positives++;
                }
            }
            start = end;
        }
        long negatives = n - positives;
        return (rankSum - positives * (positives + 1) / 2.0) / ((double) positives * negatives);
    }

    /** Mean over anomalies a of #anomalies scoring >= a / #rows scoring >= a (sklearn's AP). */
    private static double averagePrecisionPerAnomaly(double[] scores, double[] labels) {
        double[] all = scores.clone();
        double[] anomalies = anomalyScores(scores, labels);
        Arrays.sort(all);
        double sum = 0;
        for (double a : anomalies) {
            sum += (double) countAtLeast(anomalies, a) / countAtLeast(all, a);
        }
        return sum / anomalies.length;
    }

    /** Rows above the k-th score are all taken; the tied group at it fills the rest pro rata. */
    private static double expectedPrecisionAtK(double[] scores, double[] labels) {
        double[] all = scores.clone();
        Arrays.sort(all);
        double[] anomalies = anomalyScores(scores, labels);
        int k = anomalies.length;
        double kth = all[all.length - k];
        int above = countAtLeast(all, Math.nextUp(kth));
        int anomaliesAbove = countAtLeast(anomalies, Math.nextUp(kth));
        int tied = countAtLeast(all, kth) - above;
        int anomaliesTied = countAtLeast(anomalies, kth) - anomaliesAbove;
        return (anomaliesAbove + (double) (k - above) * anomaliesTied / tied) / k;
    }

    private static double bestF1ByBruteForce(double[] scores, double[] labels) {
        double positives = Arrays.stream(labels).sum();
        double best = 0;
        for (double t : Arrays.stream(scores).distinct().toArray()) {
            int predicted = 0;
            int truePositives = 0;
            for (int i = 0; i < scores.length; i++) {
                if (scores[i] >= t) {
                    predicted++;
                    truePositives += (int) labels[i];
                }
            }
            best = Math.max(best, 2.0 * truePositives / (predicted + positives));
        }
        return best;
    }

    private static double[] anomalyScores(double[] scores, double[] labels) {
        List<Double> out = new ArrayList<>();
        for (int i = 0; i < scores.length; i++) {
            if (labels[i] == 1) {
                out.add(scores[i]);
            }
        }
        return out.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    }

    /** Entries >= value in an ascending array. */
    private static int countAtLeast(double[] ascending, double value) {
        int lo = 0;
        int hi = ascending.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (ascending[mid] < value) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return ascending.length - lo;
    }

    // ---------------------------------------------------------------- errors

    @Test
    void singleClassInputIsRejectedWithTheClassAndRowCount() {
        Dataset<Row> normals = scored(new double[] {0.9, 0.5, 0.1}, new double[] {0, 0, 0});
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new AnomalyEvaluator().evaluate(normals));
        assertEquals("areaUnderROC needs both anomalies (label 1) and normal rows (label 0);"
                + " the input has only label 0 — 3 rows", e.getMessage());

        Dataset<Row> anomalies = scored(new double[] {0.9, 0.5}, new double[] {1, 1});
        e = assertThrows(IllegalArgumentException.class,
                () -> new AnomalyEvaluator().setMetricName("bestF1").evaluate(anomalies));
        assertEquals("bestF1 needs both anomalies (label 1) and normal rows (label 0);"
                + " the input has only label 1 — 2 rows", e.getMessage());
    }

    @Test
    void missingColumnIsNamedAndTheAvailableColumnsListed() {
        Dataset<Row> df = scored(new double[] {0.9, 0.1}, new double[] {1, 0});
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new AnomalyEvaluator().setScoreCol("score").evaluate(df));
        assertTrue(e.getMessage().contains("scoreCol 'score' is not in the input"), e.getMessage());
        assertTrue(e.getMessage().contains("[anomalyScore, label]"), e.getMessage());

        e = assertThrows(IllegalArgumentException.class,
                () -> new AnomalyEvaluator().setLabelCol("isFraud").evaluateAll(df));
        assertTrue(e.getMessage().contains("labelCol 'isFraud' is not in the input"), e.getMessage());
    }

    @Test
    void nonNumericColumnIsRejectedNamingTheExpectedType() {
        Dataset<Row> df = frame(new StructType()
                        .add("anomalyScore", DataTypes.DoubleType)
                        .add("label", DataTypes.StringType),
                row(0.9, "1"), row(0.1, "0"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new AnomalyEvaluator().evaluate(df));
        assertTrue(e.getMessage().contains("labelCol 'label' has type string, expected a numeric type"),
                e.getMessage());
    }

    @Test
    void nullLabelsAndNullOrNaNScoresAreCounted() {
        StructType schema = new StructType()
                .add("anomalyScore", DataTypes.DoubleType)
                .add("label", DataTypes.DoubleType);
        Dataset<Row> nullLabels = frame(schema, row(0.9, 1.0), row(0.8, null), row(0.7, null), row(0.1, 0.0));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new AnomalyEvaluator().evaluate(nullLabels));
        assertTrue(e.getMessage().startsWith("labelCol 'label' has 2 null values (of 4 rows)"), e.getMessage());

        Dataset<Row> nullScores = frame(schema, row(0.9, 1.0), row(null, 0.0), row(0.1, 0.0));
        e = assertThrows(IllegalArgumentException.class, () -> new AnomalyEvaluator().evaluateAll(nullScores));
        assertTrue(e.getMessage().startsWith("scoreCol 'anomalyScore' has 1 null values (of 3 rows)"),
                e.getMessage());

        Dataset<Row> nanScores = frame(schema, row(0.9, 1.0), row(Double.NaN, 0.0), row(Double.NaN, 1.0),
                row(0.1, 0.0));
        e = assertThrows(IllegalArgumentException.class, () -> new AnomalyEvaluator().evaluate(nanScores));
        assertTrue(e.getMessage().startsWith("scoreCol 'anomalyScore' has 2 NaN values (of 4 rows)"),
                e.getMessage());
    }

    @Test
    void labelsOtherThanZeroAndOneAreRejectedWithExamples() {
        Dataset<Row> df = scored(new double[] {0.9, 0.8, 0.7, 0.1}, new double[] {1, 2, -1, 0});
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new AnomalyEvaluator().evaluate(df));
        assertTrue(e.getMessage().startsWith(
                "labelCol 'label' must be 1 (anomaly) or 0 (normal), but 2 of 4 rows have other values"),
                e.getMessage());
        assertTrue(e.getMessage().contains("2.0") && e.getMessage().contains("-1.0"), e.getMessage());
    }

    @Test
    void predictionsOtherThanZeroAndOneAreRejected() {
        Dataset<Row> df = frame(new StructType()
                        .add("anomalyScore", DataTypes.DoubleType)
                        .add("label", DataTypes.DoubleType)
                        .add("prediction", DataTypes.DoubleType),
                row(0.9, 1.0, 0.9), row(0.1, 0.0, 0.0));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new AnomalyEvaluator().setMetricName("f1AtThreshold").evaluate(df));
        assertTrue(e.getMessage().startsWith("predictionCol 'prediction' must be 1.0 (anomaly) or 0.0 (normal),"
                + " but 1 of 2 rows have other values, e.g. [0.9]"), e.getMessage());
    }

    @Test
    void emptyInputIsRejected() {
        Dataset<Row> empty = scored(new double[0], new double[0]);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new AnomalyEvaluator().evaluate(empty));
        assertEquals("areaUnderROC needs at least one row, but the input is empty.", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> new AnomalyEvaluator().setMetricName("f1AtThreshold").setPredictionCol("label").evaluate(empty));
        assertEquals("f1AtThreshold needs at least one row, but the input is empty.", e.getMessage());
    }

    @Test
    void f1AtThresholdWithoutPredictionColumnSaysHowToFixIt() {
        Dataset<Row> df = scored(new double[] {0.9, 0.1}, new double[] {1, 0});
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new AnomalyEvaluator().setMetricName("f1AtThreshold").evaluate(df));
        assertTrue(e.getMessage().startsWith("f1AtThreshold needs predictionCol 'prediction'"), e.getMessage());
        assertTrue(e.getMessage().contains("[anomalyScore, label]"), e.getMessage());
        assertTrue(e.getMessage().contains("Set predictionCol or choose another metricName"), e.getMessage());
    }

    @Test
    void unknownMetricNameIsRejectedBySetter() {
        assertThrows(IllegalArgumentException.class, () -> new AnomalyEvaluator().setMetricName("auc"));
        assertThrows(IllegalArgumentException.class, () -> new AnomalyEvaluator().setScoreCol(""));
    }

    // ---------------------------------------------------------------- Spark ML integration

    @Test
    void paramsHaveSparkDefaultsAndEveryMetricIsLargerBetter() {
        AnomalyEvaluator eval = new AnomalyEvaluator();
        assertTrue(eval.uid().startsWith("anomalyEval_"));
        assertEquals("label", eval.getLabelCol());
        assertEquals("anomalyScore", eval.getScoreCol());
        assertEquals("prediction", eval.getPredictionCol());
        assertEquals("areaUnderROC", eval.getMetricName());
        assertEquals(4, eval.params().length);
        for (String metric : List.of("areaUnderROC", "areaUnderPR", "precisionAtK", "f1AtThreshold", "bestF1")) {
            assertTrue(eval.setMetricName(metric).isLargerBetter(), metric);
        }
    }

    @Test
    void copyAppliesExtraParamsAndLeavesTheOriginalAlone() {
        AnomalyEvaluator eval = new AnomalyEvaluator().setScoreCol("s");
        ParamMap extra = new ParamMap().put(eval.metricName(), "areaUnderPR");
        AnomalyEvaluator copy = eval.copy(extra);
        assertNotSame(eval, copy);
        assertEquals(eval.uid(), copy.uid());
        assertEquals("s", copy.getScoreCol());
        assertEquals("areaUnderPR", copy.getMetricName());
        assertEquals("areaUnderROC", eval.getMetricName());

        // Evaluator.evaluate(dataset, paramMap) goes through copy(): the AP of this table is 5/6,
        // its AUC 0.875 (see the tie tests above).
        Dataset<Row> df = scored(new double[] {0.9, 0.8, 0.8, 0.3}, new double[] {1, 0, 1, 0})
                .withColumnRenamed("anomalyScore", "s");
        assertEquals(5.0 / 6, eval.evaluate(df, extra), EPS);
        assertEquals(0.875, eval.evaluate(df), EPS);
    }

    @Test
    void saveAndLoadKeepUidParamsAndDefaults(@TempDir Path dir) throws Exception {
        AnomalyEvaluator eval = new AnomalyEvaluator()
                .setLabelCol("isAnomaly")
                .setScoreCol("reconstructionError")
                .setMetricName("precisionAtK");
        String path = dir.resolve("evaluator").toString();
        eval.save(path);
        AnomalyEvaluator loaded = AnomalyEvaluator.load(path);

        assertEquals(eval.uid(), loaded.uid());
        assertEquals("isAnomaly", loaded.getLabelCol());
        assertEquals("reconstructionError", loaded.getScoreCol());
        assertEquals("precisionAtK", loaded.getMetricName());
        assertEquals("prediction", loaded.getPredictionCol());
        assertFalse(loaded.isSet(loaded.predictionCol()));
        assertTrue(loaded.isSet(loaded.metricName()));
    }

    /**
     * TrainValidationSplit must pick the candidate with the larger metric: one candidate regresses
     * the label on a feature that carries it, the other on pure noise.
     */
    @Test
    void trainValidationSplitPicksTheModelWithTheHigherMetric() {
        Random random = new Random(7);
        StructType schema = new StructType()
                .add("label", DataTypes.DoubleType)
                .add("signal", DataTypes.DoubleType)
                .add("noise", DataTypes.DoubleType);
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            double label = random.nextDouble() < 0.2 ? 1 : 0;
            rows.add(RowFactory.create(label, 2 * label + 0.5 * random.nextGaussian(), random.nextGaussian()));
        }
        Dataset<Row> df = spark.createDataFrame(rows, schema);

        LinearRegression regression = new LinearRegression().setPredictionCol("anomalyScore");
        Pipeline pipeline = new Pipeline().setStages(new PipelineStage[] {
                new VectorAssembler().setInputCols(new String[] {"signal"}).setOutputCol("signalFeatures"),
                new VectorAssembler().setInputCols(new String[] {"noise"}).setOutputCol("noiseFeatures"),
                regression});
        ParamMap[] grid = {
                new ParamMap().put(regression.featuresCol(), "noiseFeatures"),
                new ParamMap().put(regression.featuresCol(), "signalFeatures")};
        AnomalyEvaluator evaluator = new AnomalyEvaluator().setScoreCol("anomalyScore");

        TrainValidationSplitModel tvs = new TrainValidationSplit()
                .setEstimator(pipeline)
                .setEstimatorParamMaps(grid)
                .setEvaluator(evaluator)
                .setTrainRatio(0.7)
                .setSeed(11)
                .fit(df);

        double[] metrics = tvs.validationMetrics();
        assertTrue(metrics[1] > 0.95, Arrays.toString(metrics));
        assertTrue(metrics[0] < 0.75, Arrays.toString(metrics));
        LinearRegressionModel best = (LinearRegressionModel) ((PipelineModel) tvs.bestModel()).stages()[2];
        assertEquals("signalFeatures", best.getFeaturesCol());
        assertTrue(evaluator.evaluate(tvs.transform(df)) > 0.95);
    }

    // ---------------------------------------------------------------- helpers

    private Dataset<Row> scored(double[] scores, double[] labels) {
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < scores.length; i++) {
            rows.add(RowFactory.create(scores[i], labels[i]));
        }
        return spark.createDataFrame(rows, new StructType()
                .add("anomalyScore", DataTypes.DoubleType, false)
                .add("label", DataTypes.DoubleType, false));
    }

    private Dataset<Row> frame(StructType schema, Row... rows) {
        return spark.createDataFrame(Arrays.asList(rows), schema);
    }

    private static Row row(Object... values) {
        return RowFactory.create(values);
    }
}
