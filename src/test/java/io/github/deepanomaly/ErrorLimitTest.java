package io.github.deepanomaly;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.deepanomaly.score.ErrorScales;
import io.github.deepanomaly.score.ErrorWeights;
import java.util.List;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code errorLimit}: above a multiple of its 99.5th training percentile, a feature's squared error counts logarithmically. */
class ErrorLimitTest {
    private static SparkSession spark;
    private static Dataset<Row> spiky;

    @BeforeAll
    static void data() {
        spark = SparkTestSession.get();
        spiky = SyntheticData.rareSpikes(spark, 3000, 60, 15, 8, 5).cache();
    }

    @Test
    void aboveItsLimitAnErrorGrowsAsItsLogarithm() {
        ErrorWeights weights = new ErrorWeights(new float[] {2, 3}, new float[] {4, 0});
        assertEquals(2 * 3.0, weights.contribution(0, 3), 1e-9, "below the limit: the error times its weight");
        assertEquals(2 * 4.0, weights.contribution(0, 4), 1e-9);
        assertEquals(2 * 4 * (1 + Math.log(100 / 4.0)), weights.contribution(0, 100), 1e-6, "above: L (1 + ln(e / L))");
        assertTrue(weights.contribution(0, 1e6) > weights.contribution(0, 1e5), "and still increasing");
        assertEquals(3 * 1e6, weights.contribution(1, 1e6), 1e-3, "a limit of 0: none");
        assertEquals(7.0, ErrorWeights.NONE.contribution(0, 7), 0);
        assertThrows(IllegalArgumentException.class, () -> new ErrorWeights(new float[2], new float[3]));
        assertThrows(IllegalArgumentException.class,
                () -> new ErrorScales(new double[] {1}, true, 0, new double[] {Double.NaN}, ErrorScales.FLOOR));
    }

    /** Each network's limits are errorLimit times its 99.5th percentiles; 0 and errorScaling 'none' keep none. */
    @Test
    void theLimitsAreAMultipleOfTheNinetyNinthPercentile() {
        AutoencoderDetectorModel two = detector().fit(spiky);
        AutoencoderDetectorModel four = detector().setErrorLimit(4).fit(spiky);
        for (int k = 0; k < 2; k++) {
            double[] a = two.errorScalesPerNetwork().get(k).limits();
            double[] b = four.errorScalesPerNetwork().get(k).limits();
            assertNotNull(a);
            for (int j = 0; j < a.length; j++) {
                assertEquals(2 * a[j], b[j], 1e-6 * b[j], "network " + k + ", feature " + j);
                assertTrue(a[j] > two.errorScalesPerNetwork().get(k).typical()[j], "above the median");
            }
        }
        assertNull(detector().setErrorLimit(0).fit(spiky).errorScales().orElseThrow().limits());
        assertNull(detector().setErrorScaling("none").fit(spiky).errorScales().orElseThrow().limits());
        assertThrows(IllegalArgumentException.class, () -> detector().setErrorLimit(-1));
    }

    /**
     * A feature that is 0 for all but 15 of 3,000 normal rows gets a large weight, and without a limit those 15 rows
     * outrank every one of the 60 anomalies; with the default limit they still score above the typical row, and below
     * many anomalies. Measured (this table; detector seeds 1–3): the share of (anomaly, spiky row) pairs the anomaly
     * wins, 0 at each seed without the limit, 0.70, 0.44 and 0.61 with it.
     */
    @Test
    void rareValuesOfOneFeatureNoLongerOutrankTheAnomalies() {
        for (long seed = 1; seed <= 3; seed++) {
            double unlimited = anomaliesAboveSpikes(detector().setSeed(seed).setErrorLimit(0).fit(spiky).transform(spiky));
            double limited = anomaliesAboveSpikes(detector().setSeed(seed).fit(spiky).transform(spiky));
            System.out.println("seed " + seed + ": unlimited " + unlimited + ", limited " + limited);
            assertTrue(unlimited < 0.05, "seed " + seed + ": without a limit the spikes lead, " + unlimited);
            assertTrue(limited > 0.2, "seed " + seed + ": with it many anomalies lead, " + limited);
        }
    }

    private static AutoencoderDetector detector() {
        return new AutoencoderDetector().setMaxIter(5);
    }

    /** The share of (anomaly, spiky normal row) pairs in which the anomaly scores higher. */
    private static double anomaliesAboveSpikes(Dataset<Row> scored) {
        List<Row> rows = scored.select("anomalyScore", "label", "features").collectAsList();
        double[] anomalies = rows.stream().filter(r -> r.getDouble(1) == 1).mapToDouble(r -> r.getDouble(0)).toArray();
        double[] spikes = rows.stream().filter(r -> r.getDouble(1) == 0 && ((Vector) r.get(2)).apply(8) != 0)
                .mapToDouble(r -> r.getDouble(0)).toArray();
        assertEquals(15, spikes.length);
        long won = 0;
        for (double a : anomalies) {
            for (double s : spikes) {
                won += a > s ? 1 : 0;
            }
        }
        return won / (double) (anomalies.length * spikes.length);
    }
}
