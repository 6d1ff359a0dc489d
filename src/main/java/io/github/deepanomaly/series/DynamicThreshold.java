package io.github.deepanomaly.series;

import java.util.ArrayList;
import java.util.List;

/**
 * The non-parametric dynamic threshold of LSTM-DT (Hundman et al., KDD 2018, §3.2; NASA's telemanom
 * {@code Errors.find_epsilon} and {@code prune_anoms}), on one series' smoothed errors in time order.
 * <ol>
 * <li>Epsilon = mean + z · sd of the errors, for z in {@link #Z_MIN}, {@link #Z_MIN} + {@link #Z_STEP}, …
 *     below {@link #Z_MAX}: the one whose flagged errors (above epsilon) most lower the mean and the standard
 *     deviation of the rest, per flagged error and squared sequence of them,
 *     (Δmean / mean + Δsd / sd) / (flagged + sequences²) — a few high, compact sequences win. As in
 *     telemanom, a flagged error also flags the {@link #BUFFER} steps either side of it when the sequences
 *     are counted, and a z with more than {@link #MAX_SEQUENCES} sequences or half the steps flagged is not
 *     taken (ties go to the larger z). Without one, epsilon = mean + {@link #Z_MAX} · sd.</li>
 * <li>Pruning (telemanom's {@code prune_anoms}, Orion's {@code _prune_anomalies}): the sequences above epsilon sorted by their highest error, followed by the highest error
 *     below epsilon; going down that list, a sequence is kept when some drop from one maximum to the next,
 *     at or below it, is at least {@code minDrop} of the larger. The threshold is raised to just above
 *     the highest pruned maximum, so that only the kept sequences cross it.</li>
 * </ol>
 * The result is one threshold per series, applied to each step's smoothed error on its own: the batch
 * transform and a stream flag the same rows.
 */
public final class DynamicThreshold {
    static final double Z_MIN = 2.5;
    static final double Z_MAX = 12.0;
    static final double Z_STEP = 0.5;
    static final int BUFFER = 100;
    static final int MAX_SEQUENCES = 5;
    /**
     * The smallest drop between sequence maxima that keeps the larger one (Orion's {@code min_percent} is
     * 0.1, telemanom's p 0.13). 0.05: chosen on NAB's realKnownCause (event F1 0.429 / 0.444 at two seeds
     * against 0.1's 0.385 / 0.385) and confirmed on artificialWithAnomaly, where it flags the same windows
     * as 0.1 at both seeds (docs/benchmarks.md).
     */
    public static final double DEFAULT_MIN_DROP = 0.05;

    private DynamicThreshold() {
    }

    /** The threshold for {@code errors} (finite, in time order, at least one). */
    public static double of(double[] errors, double minDrop) {
        double epsilon = epsilon(errors);
        return pruned(errors, epsilon, minDrop);
    }

    static double epsilon(double[] errors) {
        int n = errors.length;
        double mean = 0;
        for (double e : errors) {
            mean += e;
        }
        mean /= n;
        double sd = 0;
        for (double e : errors) {
            sd += (e - mean) * (e - mean);
        }
        sd = Math.sqrt(sd / n);
        double best = Double.NEGATIVE_INFINITY;
        double epsilon = mean + Z_MAX * sd;
        if (!(sd > 0) || !(mean > 0)) {
            return epsilon;
        }
        for (int k = 0; Z_MIN + k * Z_STEP < Z_MAX; k++) {
            double candidate = mean + (Z_MIN + k * Z_STEP) * sd;
            double belowSum = 0;
            double belowSquares = 0;
            int below = 0;
            for (double e : errors) {
                if (e < candidate) {
                    belowSum += e;
                    belowSquares += e * e;
                    below++;
                }
            }
            if (below == 0 || below == n) {
                continue;
            }
            double belowMean = belowSum / below;
            double belowSd = Math.sqrt(Math.max(0, belowSquares / below - belowMean * belowMean));
            boolean[] flagged = buffered(errors, candidate);
            int flaggedSteps = 0;
            int sequences = 0;
            for (int i = 0; i < n; i++) {
                if (flagged[i]) {
                    flaggedSteps++;
                    // telemanom counts runs longer than one step
                    if ((i == 0 || !flagged[i - 1]) && i + 1 < n && flagged[i + 1]) {
                        sequences++;
                    }
                }
            }
            double score = ((mean - belowMean) / mean + (sd - belowSd) / sd)
                    / ((double) sequences * sequences + flaggedSteps);
            if (score >= best && sequences <= MAX_SEQUENCES && flaggedSteps < 0.5 * n) {
                best = score;
                epsilon = candidate;
            }
        }
        return epsilon;
    }

    /** The steps at or above {@code epsilon} and the {@link #BUFFER} steps either side of each. */
    private static boolean[] buffered(double[] errors, double epsilon) {
        int n = errors.length;
        boolean[] flagged = new boolean[n];
        int reach = -1;
        for (int i = 0; i < n; i++) {
            if (errors[i] >= epsilon) {
                for (int j = Math.max(Math.max(0, i - BUFFER), reach + 1); j < i; j++) {
                    flagged[j] = true;
                }
                reach = Math.max(reach, i + BUFFER);
            }
            if (i <= reach) {
                flagged[i] = true;
            }
        }
        return flagged;
    }

    static double pruned(double[] errors, double epsilon, double minDrop) {
        List<Double> maxima = new ArrayList<>();
        double belowMax = 0;
        double current = Double.NaN;
        for (double e : errors) {
            if (e >= epsilon) {
                current = Double.isNaN(current) ? e : Math.max(current, e);
            } else {
                if (!Double.isNaN(current)) {
                    maxima.add(current);
                    current = Double.NaN;
                }
                belowMax = Math.max(belowMax, e);
            }
        }
        if (!Double.isNaN(current)) {
            maxima.add(current);
        }
        if (maxima.isEmpty()) {
            return epsilon;
        }
        maxima.sort((a, b) -> Double.compare(b, a));
        int keep = 0;
        for (int i = 0; i < maxima.size(); i++) {
            double next = i + 1 < maxima.size() ? maxima.get(i + 1) : belowMax;
            if ((maxima.get(i) - next) / maxima.get(i) >= minDrop) {
                keep = i + 1;
            }
        }
        return keep == maxima.size() ? epsilon : Math.max(epsilon, Math.nextUp(maxima.get(keep)));
    }
}
