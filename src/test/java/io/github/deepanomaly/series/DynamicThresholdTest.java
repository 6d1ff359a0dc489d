package io.github.deepanomaly.series;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class DynamicThresholdTest {

    /** Smoothed-error-like noise around 1 with a slow wave, and bumps of the given heights at the given steps. */
    private static double[] errors(int n, long seed, int[] starts, double[] heights, int length) {
        Random random = new Random(seed);
        double[] e = new double[n];
        for (int i = 0; i < n; i++) {
            e[i] = 1 + 0.2 * Math.sin(i / 50.0) + 0.01 * Math.abs(random.nextGaussian());
        }
        for (int k = 0; k < starts.length; k++) {
            for (int i = starts[k]; i < starts[k] + length; i++) {
                e[i] = heights[k];
            }
        }
        return e;
    }

    private static double max(double[] e, int from, int to) {
        double m = Double.NEGATIVE_INFINITY;
        for (int i = from; i < to; i++) {
            m = Math.max(m, e[i]);
        }
        return m;
    }

    @Test
    void separatesHighSequencesFromTheNoise() {
        double[] e = errors(3000, 1, new int[] {800, 2200}, new double[] {4.0, 4.0}, 20);
        double t = DynamicThreshold.of(e, DynamicThreshold.DEFAULT_MIN_DROP);
        double noise = Math.max(max(e, 0, 800), Math.max(max(e, 820, 2200), max(e, 2220, 3000)));
        assertTrue(t > noise, "threshold " + t + " at or below the noise's maximum " + noise);
        assertTrue(t <= 4.0, "threshold " + t + " above the sequences");
    }

    @Test
    void prefersFewCompactSequences() {
        // a sequence at 3 beside one at 4: flagging both lowers the mean and sd more, but not enough for
        // twice the flagged steps and four times the squared sequence count
        double[] e = errors(3000, 1, new int[] {800, 2200}, new double[] {4.0, 3.0}, 20);
        double t = DynamicThreshold.of(e, DynamicThreshold.DEFAULT_MIN_DROP);
        assertTrue(t > 3.0 && t <= 4.0, "threshold " + t);
    }

    @Test
    void withoutAnythingStandingOutNothingIsFlaggedOrOnlyAFewSteps() {
        double[] e = errors(3000, 2, new int[0], new double[0], 0);
        double t = DynamicThreshold.of(e, DynamicThreshold.DEFAULT_MIN_DROP);
        int above = 0;
        for (double x : e) {
            above += x >= t ? 1 : 0;
        }
        assertTrue(above < 30, above + " of 3000 noise steps flagged");
    }

    @Test
    void prunesASequenceWhoseMaximumBarelyExceedsWhatLiesBelowIt() {
        double[] e = errors(3000, 3, new int[] {800, 2200}, new double[] {4.0, 1.3}, 20);
        // 1.3 is within 13 % of the highest noise (about 1.2 + 0.01 · 3.5), 4.0 far above both
        double belowMax = max(e, 0, 800);
        assertTrue((1.3 - belowMax) / 1.3 < 0.1);
        double t = DynamicThreshold.pruned(e, 1.25, 0.1);
        assertEquals(Math.nextUp(1.3), t);
        // with no minimum drop every sequence above epsilon stays
        assertEquals(1.25, DynamicThreshold.pruned(e, 1.25, 0.0));
    }

    @Test
    void keepsEverySequenceAboveTheLastLargeDrop() {
        double[] e = errors(3000, 4, new int[] {500, 1500, 2500}, new double[] {4.0, 3.9, 1.3}, 20);
        // 4.0 → 3.9 is a small drop, 3.9 → 1.3 a large one: both high sequences stay, the third goes
        assertEquals(Math.nextUp(1.3), DynamicThreshold.pruned(e, 1.25, 0.1));
    }

    @Test
    void quantilesAreExactRanks() {
        double[] sorted = {1, 2, 3, 4};
        assertEquals(2.0, ErrorCalibration.quantile(sorted, 0.5));
        assertEquals(1.0, ErrorCalibration.quantile(sorted, 0.25));
        assertEquals(3.0, ErrorCalibration.quantile(sorted, 0.75));
        assertEquals(1.0, ErrorCalibration.quantile(new double[] {1}, 0.75));
    }
}
