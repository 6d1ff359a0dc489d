package io.github.deepanomaly.score;

import java.io.Serializable;
import java.util.Arrays;

/**
 * What a model remembers of its training scores: a quantile sketch (the scores at probabilities 0,
 * 1/1000, …, 1), their mean and population standard deviation, and how many there were. A few kB
 * whatever the training set's size, yet enough for rank normalization, unify normalization and ExCeeD
 * confidence without keeping the scores themselves.
 *
 * @param quantiles the sketch: {@link #SKETCH_SIZE} non-decreasing scores, quantiles[i] at probability
 *                  i / (SKETCH_SIZE − 1)
 * @param mean      mean of the training scores
 * @param std       population standard deviation of the training scores (as numpy's default std)
 * @param count     number of training scores
 */
public record ScoreDistribution(double[] quantiles, double mean, double std, long count) implements Serializable {
    /** 1001 points: the empirical CDF read from it is within 0.001 (plus approxQuantile's error) everywhere. */
    public static final int SKETCH_SIZE = 1001;

    public ScoreDistribution {
        if (quantiles == null || quantiles.length != SKETCH_SIZE) {
            throw new IllegalArgumentException("the score sketch needs " + SKETCH_SIZE + " quantiles, got "
                    + (quantiles == null ? "none" : quantiles.length));
        }
        for (int i = 1; i < quantiles.length; i++) {
            if (!(quantiles[i - 1] <= quantiles[i])) {
                throw new IllegalArgumentException("the score sketch must be non-decreasing, but quantile " + i
                        + " (" + quantiles[i] + ") is below quantile " + (i - 1) + " (" + quantiles[i - 1] + ")");
            }
        }
        if (count < 1) {
            throw new IllegalArgumentException("a score distribution needs at least one score, got " + count);
        }
    }

    /** The probabilities the sketch is taken at, in order. */
    public static double[] sketchProbabilities() {
        double[] probabilities = new double[SKETCH_SIZE];
        for (int i = 0; i < SKETCH_SIZE; i++) {
            probabilities[i] = i / (double) (SKETCH_SIZE - 1);
        }
        return probabilities;
    }

    /**
     * The share of training scores at or below {@code score}, read from the sketch with linear
     * interpolation between its points: 0 below the smallest training score, 1 from the largest on, and
     * non-decreasing in {@code score}.
     */
    public double cdf(double score) {
        if (score < quantiles[0]) {
            return 0.0;
        }
        int last = SKETCH_SIZE - 1;
        if (score >= quantiles[last]) {
            return 1.0;
        }
        // The last point at or below the score: over a run of tied points that is the run's top, as a
        // CDF counts every score equal to the argument.
        int lo = 0;
        int hi = last;
        while (hi - lo > 1) {
            int mid = (lo + hi) >>> 1;
            if (quantiles[mid] <= score) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        double within = (score - quantiles[lo]) / (quantiles[hi] - quantiles[lo]);
        return (lo + within) / last;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ScoreDistribution d && Arrays.equals(quantiles, d.quantiles)
                && Double.compare(mean, d.mean) == 0 && Double.compare(std, d.std) == 0 && count == d.count;
    }

    @Override
    public int hashCode() {
        return 31 * (31 * (31 * Arrays.hashCode(quantiles) + Double.hashCode(mean)) + Double.hashCode(std))
                + Long.hashCode(count);
    }

    @Override
    public String toString() {
        return String.format("ScoreDistribution[count=%d, mean=%.6g, std=%.6g, min=%.6g, median=%.6g, max=%.6g]",
                count, mean, std, quantiles[0], quantiles[SKETCH_SIZE / 2], quantiles[SKETCH_SIZE - 1]);
    }
}
