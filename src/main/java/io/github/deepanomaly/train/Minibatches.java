package io.github.deepanomaly.train;

import io.github.deepanomaly.core.Standardization;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Row;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/** Turns rows of feature vectors into standardized minibatch DataSets, on the executors. */
public final class Minibatches {
    private Minibatches() {
    }

    /**
     * One DataSet per {@code batchSize} rows of each partition, with the input as its own target
     * (what a reconstruction model learns). Rows must hold a usable vector in column 0.
     */
    public static JavaRDD<DataSet> reconstructionTargets(JavaRDD<Row> rows, Standardization standardization,
            int batchSize) {
        return rows.mapPartitions(new ToBatches(standardization, batchSize));
    }

    /** Standardized row-major matrix of the given vectors, one row each. */
    public static INDArray matrix(List<Vector> vectors, Standardization standardization) {
        int width = standardization.size();
        float[] buffer = new float[vectors.size() * width];
        for (int i = 0; i < vectors.size(); i++) {
            standardization.apply(vectors.get(i), buffer, i * width);
        }
        return Nd4j.create(buffer, new long[] {vectors.size(), width}, 'c');
    }

    private record ToBatches(Standardization standardization, int batchSize)
            implements FlatMapFunction<Iterator<Row>, DataSet> {
        @Override
        public Iterator<DataSet> call(Iterator<Row> rows) {
            return new Iterator<>() {
                @Override
                public boolean hasNext() {
                    return rows.hasNext();
                }

                @Override
                public DataSet next() {
                    List<Vector> batch = new ArrayList<>(batchSize);
                    while (rows.hasNext() && batch.size() < batchSize) {
                        batch.add((Vector) rows.next().get(0));
                    }
                    INDArray x = matrix(batch, standardization);
                    return new DataSet(x, x);
                }
            };
        }
    }
}
