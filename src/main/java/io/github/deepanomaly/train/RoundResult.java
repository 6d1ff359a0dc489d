package io.github.deepanomaly.train;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * What the workers of one round send back, summed: their network states weighted by the rows each
 * trained on (the driver divides by {@code rows} to average them), training and validation losses summed
 * over rows, and the most minibatches any worker fitted (how far the updater's iteration count moves).
 * Sums of doubles, so that many workers' floats add up without losing precision; merged pairwise, so
 * that Spark's tree aggregate can combine many workers' results on the executors.
 */
final class RoundResult implements Serializable {
    private double[][] params;
    private double[][] updaterStates;
    long rows;
    double lossSum;
    /** The step's second training loss summed over rows ({@link LocalStep#secondLossName}); 0 without one. */
    double secondLossSum;
    int maxFitted;
    long heldOutRows;
    double heldOutLossSum;
    /** The worker's partition, for {@link #inPartitionOrder}; -1 once merged. */
    int partition = -1;

    /** One worker's result. */
    static RoundResult of(NetworkStates trained, long rows, double lossSum, int fitted, long heldOutRows,
            double heldOutLossSum) {
        RoundResult r = new RoundResult();
        if (rows > 0) {
            r.params = weighted(trained.params(), rows);
            r.updaterStates = weighted(trained.updaterStates(), rows);
        }
        r.rows = rows;
        r.lossSum = lossSum;
        r.maxFitted = fitted;
        r.heldOutRows = heldOutRows;
        r.heldOutLossSum = heldOutLossSum;
        return r;
    }

    RoundResult atPartition(int index) {
        partition = index;
        return this;
    }

    /**
     * The workers' results summed in the order of their partitions, whatever order they arrived in: the same
     * inputs give the same bits.
     */
    static RoundResult inPartitionOrder(java.util.Collection<RoundResult> results) {
        List<RoundResult> ordered = new ArrayList<>(results);
        ordered.sort(java.util.Comparator.comparingInt(r -> r.partition));
        RoundResult sum = new RoundResult();
        for (RoundResult r : ordered) {
            sum.merge(r);
        }
        return sum;
    }

    RoundResult withSecondLoss(double sum) {
        secondLossSum = sum;
        return this;
    }

    RoundResult merge(RoundResult other) {
        if (other.params != null) {
            if (params == null) {
                params = other.params;
                updaterStates = other.updaterStates;
            } else {
                addInto(params, other.params);
                addInto(updaterStates, other.updaterStates);
            }
        }
        rows += other.rows;
        lossSum += other.lossSum;
        secondLossSum += other.secondLossSum;
        maxFitted = Math.max(maxFitted, other.maxFitted);
        heldOutRows += other.heldOutRows;
        heldOutLossSum += other.heldOutLossSum;
        return this;
    }

    /** The row-weighted average of the workers' states, or {@code previous} when no worker trained. */
    NetworkStates average(NetworkStates previous) {
        if (rows == 0) {
            return previous;
        }
        return new NetworkStates(divided(params, rows), divided(updaterStates, rows),
                previous.iteration() + maxFitted);
    }

    private static double[][] weighted(float[][] arrays, long weight) {
        double[][] out = new double[arrays.length][];
        for (int i = 0; i < arrays.length; i++) {
            out[i] = new double[arrays[i].length];
            for (int j = 0; j < arrays[i].length; j++) {
                out[i][j] = (double) arrays[i][j] * weight;
            }
        }
        return out;
    }

    private static void addInto(double[][] sum, double[][] more) {
        for (int i = 0; i < sum.length; i++) {
            for (int j = 0; j < sum[i].length; j++) {
                sum[i][j] += more[i][j];
            }
        }
    }

    private static float[][] divided(double[][] sums, long by) {
        float[][] out = new float[sums.length][];
        for (int i = 0; i < sums.length; i++) {
            out[i] = new float[sums[i].length];
            for (int j = 0; j < sums[i].length; j++) {
                out[i][j] = (float) (sums[i][j] / by);
            }
        }
        return out;
    }
}
