package io.github.deepanomaly.score;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RelativeQuantileSketchTest {
    private static final double[] PROBABILITIES = {0, 0.01, 0.1, 0.5, 0.9, 0.995, 1};
    private static final double ACCURACY = RelativeQuantileSketch.RELATIVE_ACCURACY;

    @Test
    void everyQuantileIsWithinTheRelativeAccuracyOfTheValueOfItsRank() {
        Random random = new Random(1);
        int n = 100_000;
        double[][] columns = new double[3][n];
        for (int i = 0; i < n; i++) {
            columns[0][i] = Math.exp(3 * random.nextGaussian());
            columns[1][i] = random.nextDouble() < 0.2 ? 0 : random.nextDouble() * 1e-6;
            columns[2][i] = Math.pow(random.nextGaussian(), 2);
        }
        RelativeQuantileSketch sketch = new RelativeQuantileSketch(3);
        for (int i = 0; i < n; i++) {
            sketch.add(new double[] {columns[0][i], columns[1][i], columns[2][i]});
        }
        assertEquals(n, sketch.count());
        for (double p : PROBABILITIES) {
            double[] quantiles = sketch.quantiles(p);
            for (int c = 0; c < 3; c++) {
                assertWithinAccuracy(exact(columns[c], p), quantiles[c], "column " + c + " at " + p);
            }
        }
        assertEquals(0, sketch.quantiles(0.1)[1], "a fifth of column 1 is 0");
    }

    @Test
    void aQuantileIsRankedAsPercentileApproxRanksIt() {
        // 1,492 rows of float noise and 8 real errors: the 99.5th percentile is the 1,493rd value, ⌈0.995 × 1500⌉
        RelativeQuantileSketch sketch = new RelativeQuantileSketch(1);
        for (int i = 0; i < 1500; i++) {
            sketch.add(new double[] {i < 1492 ? 1e-12 : 10});
        }
        assertWithinAccuracy(10, sketch.quantiles(0.995)[0], "a rank lower would be 1e-12: a limit 10^13 times smaller");
        assertWithinAccuracy(1e-12, sketch.quantiles(0.99)[0], "rank 1,485");
    }

    @Test
    void mergedSketchesGiveTheQuantilesOfOneSketchOfAllTheRows() {
        Random random = new Random(2);
        RelativeQuantileSketch all = new RelativeQuantileSketch(1);
        RelativeQuantileSketch[] parts = {new RelativeQuantileSketch(1), new RelativeQuantileSketch(1),
                new RelativeQuantileSketch(1)};
        for (int i = 0; i < 30_000; i++) {
            // each part holds a different range, so that merging moves the windows
            float value = (float) (Math.exp(random.nextGaussian()) * Math.pow(10, 3 * (i % 3)));
            all.add(new float[] {value});
            parts[i % 3].add(new float[] {value});
        }
        RelativeQuantileSketch upward = new RelativeQuantileSketch(1).merge(parts[0]).merge(parts[1]).merge(parts[2]);
        RelativeQuantileSketch downward = new RelativeQuantileSketch(1).merge(parts[2]).merge(parts[1]).merge(parts[0]);
        for (double p : PROBABILITIES) {
            assertArrayEquals(all.quantiles(p), upward.quantiles(p), 0, "at " + p);
            assertArrayEquals(all.quantiles(p), downward.quantiles(p), 0, "at " + p);
        }
        assertEquals(30_000, upward.count());
        assertThrows(IllegalArgumentException.class, () -> all.merge(new RelativeQuantileSketch(2)));
    }

    @Test
    void valuesArrivingInOrderUpOrDownAreCountedAlike() {
        double gamma = (1 + ACCURACY) / (1 - ACCURACY);
        int n = 5_000; // 43 decades: the array grows many times either way
        double[] values = new double[n];
        RelativeQuantileSketch up = new RelativeQuantileSketch(1);
        RelativeQuantileSketch down = new RelativeQuantileSketch(1);
        for (int i = 0; i < n; i++) {
            values[i] = 1e-20 * Math.pow(gamma, i + 0.5);
            up.add(new double[] {values[i]});
            down.add(new double[] {1e-20 * Math.pow(gamma, n - i - 0.5)});
        }
        for (double p : PROBABILITIES) {
            assertWithinAccuracy(exact(values, p), up.quantiles(p)[0], "up at " + p);
            assertArrayEquals(up.quantiles(p), down.quantiles(p), 0, "at " + p);
        }
    }

    @Test
    void floatColumnsKeepTheirTinyQuantilesAndOnlyWiderRangesCollapseTheLowest() {
        Random random = new Random(3);
        int n = 50_000;
        double[] tiny = new double[n];
        double[] huge = new double[n];
        RelativeQuantileSketch sketch = new RelativeQuantileSketch(2);
        for (int i = 0; i < n; i++) {
            // a feature reconstructed almost exactly for most rows: float noise, and a few real errors
            tiny[i] = random.nextDouble() < 0.01 ? 100 * random.nextDouble() : Math.pow(10, -30 + 10 * random.nextDouble());
            huge[i] = Math.pow(10, -37 + 345 * random.nextDouble()); // from the least counted to near Double.MAX_VALUE
            sketch.add(new double[] {(float) tiny[i], huge[i]});
            tiny[i] = (float) tiny[i];
        }
        for (double p : PROBABILITIES) {
            assertWithinAccuracy(exact(tiny, p), sketch.quantiles(p)[0], "32 decades, at " + p);
        }
        double largest = exact(huge, 1);
        for (double p : new double[] {0.3, 0.5, 0.9, 0.995, 1}) {
            assertWithinAccuracy(exact(huge, p), sketch.quantiles(p)[1], "kept, at " + p);
        }
        double lowest = sketch.quantiles(0)[1];
        assertTrue(lowest > exact(huge, 0.1), "the lowest values of 345 decades are collapsed upwards");
        assertTrue(lowest > largest * 1e-286 && lowest < largest * 1e-284, "285 decades kept: " + lowest);
    }

    @Test
    void zerosNansNegativesAndEmptySketchesAreToldApart() {
        RelativeQuantileSketch sketch = new RelativeQuantileSketch(3);
        sketch.add(new double[] {0, Double.NaN, Double.POSITIVE_INFINITY});
        sketch.add(new double[] {Float.MIN_VALUE, 1, 1});
        assertEquals(0, sketch.quantiles(1)[0], "below the least normal float counts as 0");
        assertTrue(Double.isNaN(sketch.quantiles(0.5)[1]), "a NaN makes the column's quantiles NaN");
        assertEquals(Double.POSITIVE_INFINITY, sketch.quantiles(1)[2]);
        IllegalArgumentException negative = assertThrows(IllegalArgumentException.class,
                () -> sketch.add(new double[] {-1, 0, 0}));
        assertEquals("The sketch counts values >= 0, got -1.0", negative.getMessage());
        assertThrows(IllegalArgumentException.class, () -> sketch.quantiles(1.5));
        assertThrows(IllegalStateException.class, () -> new RelativeQuantileSketch(2).quantiles(0.5));
    }

    /** The smallest value with a share p of the values at or below it: rank ⌈p·n⌉, counted from 1. */
    private static double exact(double[] values, double p) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[Math.max(0, (int) Math.ceil(p * sorted.length) - 1)];
    }

    private static void assertWithinAccuracy(double expected, double actual, String what) {
        assertEquals(expected, actual, expected * ACCURACY * (1 + 1e-9), what);
    }
}
