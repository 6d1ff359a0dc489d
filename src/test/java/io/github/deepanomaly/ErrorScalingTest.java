package io.github.deepanomaly;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.deepanomaly.score.ErrorScales;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@code errorScaling}: each feature's squared error divided by its median over the training rows ('median'), or
 * weighted by that and by the mean of the medians ('balanced').
 */
class ErrorScalingTest {
    private static SparkSession spark;
    private static Dataset<Row> hiddenByNoise;

    @BeforeAll
    static void data() {
        spark = SparkTestSession.get();
        hiddenByNoise = SyntheticData.hiddenByNoise(spark, 3000, 40, 5, 11).cache();
    }

    /**
     * Untrimmed and without input noise: what is compared is the score, on networks trained alike (trimmed,
     * median scaling gives 0.70; the noise blurs the tight relation the anomalies break, 0.71–0.76 with
     * the default 1.5).
     */
    private static AutoencoderDetector detector(String scaling) {
        return new AutoencoderDetector().setErrorScaling(scaling).setTrimFraction(0).setInputNoise(0).setMaxIter(5)
                .setBatchSize(64);
    }

    private static double auc(Dataset<Row> scored) {
        return new AnomalyEvaluator().setLabelCol("label").evaluateAll(scored).areaUnderROC();
    }

    @Test
    void medianScalingFindsAnomaliesThatNoisyFeaturesDrown() {
        double none = auc(detector("none").fit(hiddenByNoise).transform(hiddenByNoise));
        double median = auc(detector("median").fit(hiddenByNoise).transform(hiddenByNoise));
        double balanced = auc(detector("balanced").fit(hiddenByNoise).transform(hiddenByNoise));
        // measured: 0.557 unscaled, 0.857 scaled, 0.759 balanced (the noisy features keep their unscaled share)
        assertTrue(median > 0.8, "median scaling: AUC-ROC " + median);
        assertTrue(median > none + 0.2, "median " + median + " against unscaled " + none);
        assertTrue(balanced > none + 0.15, "balanced " + balanced + " against unscaled " + none);
    }

    /** The score is the mean of each feature's squared error times 1 / its typical error; the explanation lists those terms. */
    @Test
    void theScoreIsTheMeanOfScaledSquaredErrors() {
        AutoencoderDetectorModel model = detector("balanced").setExplanationCol("why").setExplainTopK(8).fit(hiddenByNoise);
        ErrorScales scales = model.errorScales().orElseThrow();
        assertEquals(8, scales.typical().length);
        float[] weights = scales.weights();
        for (double t : scales.typical()) {
            assertTrue(t > 0 && t < 2, "typical squared error in standardized units: " + t);
        }
        // the related features are reconstructed closely for most rows: they weigh more than the noise
        for (int j = 0; j < 5; j++) {
            assertTrue(weights[7] > weights[j], "feature 7's weight " + weights[7] + " against feature " + j + "'s " + weights[j]);
        }
        List<Row> rows = model.transform(hiddenByNoise).select("features", "anomalyScore", "why").limit(20).collectAsList();
        for (Row r : rows) {
            float[] x = new float[8];
            model.featureStandardization().apply((Vector) r.get(0), x, 0);
            INDArray out = model.network().output(Nd4j.create(x, new long[] {1, 8}, 'c'));
            double expected = 0;
            double contributions = 0;
            for (int j = 0; j < 8; j++) {
                double e = out.getDouble(0, j) - x[j];
                expected += e * e * weights[j] / 8;
            }
            for (Row c : r.<Row>getList(2)) {
                contributions += c.getDouble(1);
            }
            assertEquals(expected, r.getDouble(1), 1e-4 * expected);
            assertEquals(expected, contributions / 8, 1e-4 * expected, "the score is the mean of the explanation's terms");
        }
    }

    @Test
    void noneScoresInStandardizedUnitsAndKeepsNoScales() {
        AutoencoderDetectorModel model = detector("none").fit(hiddenByNoise);
        assertTrue(model.errorScales().isEmpty());
        Row r = model.transform(hiddenByNoise).select("features", "anomalyScore").first();
        float[] x = new float[8];
        model.featureStandardization().apply((Vector) r.get(0), x, 0);
        INDArray out = model.network().output(Nd4j.create(x, new long[] {1, 8}, 'c'));
        double expected = 0;
        for (int j = 0; j < 8; j++) {
            double e = out.getDouble(0, j) - x[j];
            expected += e * e / 8;
        }
        assertEquals(expected, r.getDouble(1), 1e-4 * expected);
    }

    @Test
    void theScalesSurviveSaveAndLoad(@TempDir Path dir) throws Exception {
        AutoencoderDetectorModel model = detector("balanced").fit(hiddenByNoise);
        model.save(dir.resolve("m").toString());
        AutoencoderDetectorModel loaded = AutoencoderDetectorModel.load(dir.resolve("m").toString());
        assertEquals(List.of(model.errorScales().orElseThrow().typical()).size(), 1);
        double[] before = model.errorScales().orElseThrow().typical();
        double[] after = loaded.errorScales().orElseThrow().typical();
        assertTrue(loaded.errorScales().orElseThrow().balanced());
        assertEquals(ErrorScales.FLOOR, loaded.errorScales().orElseThrow().floor(), "the floor it was fitted with");
        for (int j = 0; j < before.length; j++) {
            assertEquals(before[j], after[j]);
        }
        List<Row> a = model.transform(hiddenByNoise).select("anomalyScore").collectAsList();
        List<Row> b = loaded.transform(hiddenByNoise).select("anomalyScore").collectAsList();
        assertEquals(a, b);
    }

    @Test
    void aFeatureReconstructedExactlyIsFloored() {
        ErrorScales scales = new ErrorScales(new double[] {0, 1, 2}, false);
        float[] w = scales.weights();
        assertEquals(1 / (ErrorScales.FLOOR * 1.0), w[0], 1e-3);
        assertEquals(1, w[1], 1e-7);
        assertEquals(0.5, w[2], 1e-7);
        // a feature reconstructed exactly for most rows (a discrete one at its most common value) weighs at most
        // 1 / FLOOR times the uniform weight (1 / the mean typical error)
        float[] nearZero = new ErrorScales(new double[] {1e-9, 1, 1, 1}, false).weights();
        double mean = (1e-9 + 3) / 4;
        assertEquals(1 / (ErrorScales.FLOOR * mean), nearZero[0], 1e-3 * nearZero[0]);
        assertTrue(nearZero[0] * mean <= 1 / ErrorScales.FLOOR * (1 + 1e-6), "against the uniform weight "
                + nearZero[0] * mean);
        assertThrows(IllegalArgumentException.class, () -> new ErrorScales(new double[] {Double.NaN}, false));
        assertThrows(IllegalArgumentException.class, () -> detector("mean"));
    }

    @Test
    void balancedAddsOneOverTheMeanTypicalErrorToEveryWeight() {
        float[] w = new ErrorScales(new double[] {0, 1, 2}, true).weights();
        assertEquals(1 / (ErrorScales.FLOOR * 1.0) + 1, w[0], 1e-3);
        assertEquals(2, w[1], 1e-7);
        assertEquals(1.5, w[2], 1e-7);
    }

    /** Models saved before 'balanced' existed have only the typical errors in errorScales.json: median scaling. */
    @Test
    void scalesSavedWithoutTheBalancedFlagScaleByTheMedianAlone() throws Exception {
        ErrorScales old = new ObjectMapper().readValue("{\"typical\":[1.0,2.0]}", ErrorScales.class);
        assertFalse(old.balanced());
        assertEquals(0, old.typicalScore());
        assertEquals(0.5, old.weights()[1], 1e-7);
        assertEquals(null, old.limits(), "and no error limits: their scores as they were");
    }

    /**
     * Models saved before the floor was kept in them score with the floor they were fitted with; new scales keep
     * theirs through JSON.
     */
    @Test
    void scalesSavedWithoutAFloorKeepTheOldOne() throws Exception {
        ErrorScales old = new ObjectMapper().readValue("{\"typical\":[0.0,1.0,2.0],\"balanced\":true,"
                + "\"typicalScore\":0.0,\"limits\":[1.0,2.0,3.0]}", ErrorScales.class);
        assertEquals(0, old.floor());
        assertEquals(1 / ErrorScales.LEGACY_FLOOR + 1, old.weights()[0], 1e-2);
        ErrorScales current = new ErrorScales(new double[] {0, 1, 2}, true);
        assertEquals(1 / ErrorScales.FLOOR + 1, current.weights()[0], 1e-4);
        ErrorScales read = new ObjectMapper().readValue(new ObjectMapper().writeValueAsString(current),
                ErrorScales.class);
        assertEquals(ErrorScales.FLOOR, read.floor());
        assertArrayEquals(current.weights(), read.weights());
    }

    /** With a typical score (a network scored beside another), every weight is divided by it. */
    @Test
    void aTypicalScoreDividesEveryWeight() {
        float[] w = new ErrorScales(new double[] {1, 2}, true).withTypicalScore(4).weights();
        assertEquals((1 + 1 / 1.5) / 4, w[0], 1e-7);
        assertEquals((0.5 + 1 / 1.5) / 4, w[1], 1e-7);
        assertThrows(IllegalArgumentException.class, () -> new ErrorScales(new double[] {1}, true, Double.NaN, null,
                ErrorScales.FLOOR));
        assertThrows(IllegalArgumentException.class, () -> new ErrorScales(new double[] {1}, true, 0, null, -1));
        float[] unscaled = ErrorScales.unscaled(3).withTypicalScore(2).weights();
        assertEquals(List.of(0.5f, 0.5f, 0.5f), List.of(unscaled[0], unscaled[1], unscaled[2]));
    }
}
