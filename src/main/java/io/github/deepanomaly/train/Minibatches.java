package io.github.deepanomaly.train;

import io.github.deepanomaly.core.Standardization;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.function.FlatMapFunction;
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
     * {@code heldOutFraction} of each partition's rows set apart in minibatches of their own. Which rows are
     * held out is fixed by their position in the partition (the i-th row is held out when ⌊(i+1)·f⌋ >
     * ⌊i·f⌋), so every partition holds out its exact share, and the same rows every time the cache is
     * rebuilt. Rows must hold a usable vector in column 0.
     */
    public static JavaRDD<Minibatch> of(JavaRDD<Row> rows, Standardization standardization, int batchSize,
            double heldOutFraction) {
        return rows.mapPartitions(new ToBatches(standardization, batchSize, heldOutFraction));
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

    private record ToBatches(Standardization standardization, int batchSize, double heldOutFraction)
            implements FlatMapFunction<Iterator<Row>, Minibatch> {
        @Override
        public Iterator<Minibatch> call(Iterator<Row> rows) {
            return new Iterator<>() {
                private final List<Vector> training = new ArrayList<>(batchSize);
                private final List<Vector> heldOut = new ArrayList<>(batchSize);
                private long position;
                private Minibatch ready;

                @Override
                public boolean hasNext() {
                    while (ready == null && rows.hasNext()) {
                        Vector v = (Vector) rows.next().get(0);
                        boolean holdOut = Math.floor((position + 1) * heldOutFraction) > Math.floor(position * heldOutFraction);
                        position++;
                        List<Vector> into = holdOut ? heldOut : training;
                        into.add(v);
                        if (into.size() == batchSize) {
                            ready = batch(into, holdOut);
                        }
                    }
                    if (ready == null && !rows.hasNext()) {
                        // the partition's rest: the short training batch, then the short held-out one
                        if (!training.isEmpty()) {
                            ready = batch(training, false);
                        } else if (!heldOut.isEmpty()) {
                            ready = batch(heldOut, true);
                        }
                    }
                    return ready != null;
                }

                @Override
                public Minibatch next() {
                    if (!hasNext()) {
                        throw new NoSuchElementException();
                    }
                    Minibatch out = ready;
                    ready = null;
                    return out;
                }

                private Minibatch batch(List<Vector> vectors, boolean isHeldOut) {
                    Minibatch b = new Minibatch(values(vectors, standardization),
                            new long[] {vectors.size(), standardization.size()}, isHeldOut);
                    vectors.clear();
                    return b;
                }
            };
        }
    }
}
