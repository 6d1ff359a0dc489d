package io.github.deepanomaly.train;

import io.github.deepanomaly.core.Standardization;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.function.Function2;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Row;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Turns rows of feature vectors into standardized minibatches, on the executors. */
public final class Minibatches {
    private Minibatches() {
    }

    /**
     * Minibatches of {@code batchSize} rows (the last of each kind in a partition may be smaller), a
     * {@code heldOutFraction} of each partition's rows set apart in minibatches of their own. Each
     * partition's rows are dealt into minibatches in an order shuffled by {@code seed} and the partition's
     * index: users' tables often arrive sorted (by time, by source, by label), and minibatches cut from
     * consecutive rows would each hold one kind of row, so that a step (and a trimmed loss ranking rows
     * within its minibatch) sees a biased sample. Which rows are held out is fixed by their position in
     * that order (the i-th row is held out when ⌊(i+1)·f⌋ > ⌊i·f⌋), so every partition holds out its exact
     * share, and the same rows every time the cache is rebuilt. While a partition's minibatches are built
     * its rows are held once more as standardized floats, the size of its cached minibatches. Rows must
     * hold a usable vector in column 0.
     */
    public static JavaRDD<Minibatch> of(JavaRDD<Row> rows, Standardization standardization, int batchSize,
            double heldOutFraction, long seed) {
        return rows.mapPartitionsWithIndex(new ToBatches(standardization, batchSize, heldOutFraction, seed), true);
    }

    /** Standardized row-major matrix of the given vectors, one row each. */
    public static INDArray matrix(List<Vector> vectors, Standardization standardization) {
        return Nd4j.create(values(vectors, standardization), new long[] {vectors.size(), standardization.size()}, 'c');
    }

    static float[] values(List<Vector> vectors, Standardization standardization) {
        int width = standardization.size();
        float[] buffer = new float[vectors.size() * width];
        for (int i = 0; i < vectors.size(); i++) {
            standardization.apply(vectors.get(i), buffer, i * width);
        }
        return buffer;
    }

    private record ToBatches(Standardization standardization, int batchSize, double heldOutFraction, long seed)
            implements Function2<Integer, Iterator<Row>, Iterator<Minibatch>> {
        @Override
        public Iterator<Minibatch> call(Integer partition, Iterator<Row> rows) {
            int width = standardization.size();
            float[] all = new float[Math.max(1, width) * 1024];
            int n = 0;
            while (rows.hasNext()) {
                if ((long) (n + 1) * width > all.length) {
                    all = Arrays.copyOf(all, (int) Math.min(Integer.MAX_VALUE - 8, 2L * all.length));
                }
                standardization.apply((Vector) rows.next().get(0), all, n * width);
                n++;
            }
            int[] order = shuffledOrder(n, new SplittableRandom(seed * 0x9E3779B97F4A7C15L + partition));
            List<Minibatch> batches = new ArrayList<>();
            int[] training = new int[batchSize];
            int[] heldOut = new int[batchSize];
            int trainingCount = 0;
            int heldOutCount = 0;
            for (int position = 0; position < n; position++) {
                boolean holdOut = Math.floor((position + 1L) * heldOutFraction) > Math.floor(position * heldOutFraction);
                if (holdOut) {
                    heldOut[heldOutCount++] = order[position];
                    if (heldOutCount == batchSize) {
                        batches.add(batch(all, heldOut, heldOutCount, true));
                        heldOutCount = 0;
                    }
                } else {
                    training[trainingCount++] = order[position];
                    if (trainingCount == batchSize) {
                        batches.add(batch(all, training, trainingCount, false));
                        trainingCount = 0;
                    }
                }
            }
            // the partition's rest: the short training batch, then the short held-out one
            if (trainingCount > 0) {
                batches.add(batch(all, training, trainingCount, false));
            }
            if (heldOutCount > 0) {
                batches.add(batch(all, heldOut, heldOutCount, true));
            }
            return batches.iterator();
        }

        private Minibatch batch(float[] all, int[] rows, int count, boolean isHeldOut) {
            int width = standardization.size();
            float[] values = new float[count * width];
            for (int i = 0; i < count; i++) {
                System.arraycopy(all, rows[i] * width, values, i * width, width);
            }
            return new Minibatch(values, new long[] {count, width}, isHeldOut);
        }
    }

    /** 0 … n−1 in a random order (Fisher–Yates). */
    static int[] shuffledOrder(int n, SplittableRandom random) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }
}
