package io.github.deepanomaly.score;

import io.github.deepanomaly.train.LocalStep;
import io.github.deepanomaly.train.Minibatch;
import io.github.deepanomaly.train.NetworkStates;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.StructType;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/**
 * A value for every row of the minibatches training cached (held-out rows too), computed on the executors by
 * the trained networks: what the threshold, the score distribution and the error scales are measured on,
 * without a second read of the source.
 */
public final class CachedRowValues {
    private CachedRowValues() {
    }

    /** What a partition computes, given its networks (built once per partition): each minibatch's row values. */
    @FunctionalInterface
    public interface PerPartition<T> extends Serializable {
        /** @return for each minibatch, one value per row, in the minibatch's order */
        Function<Minibatch, List<T>> open(List<MultiLayerNetwork> networks);
    }

    /** The values, by networks the executors build from {@code step} and load with {@code states}. */
    public static <T> JavaRDD<T> of(SparkSession spark, JavaRDD<Minibatch> minibatches, LocalStep step,
            NetworkStates states, PerPartition<T> values) {
        Broadcast<NetworkStates> shipped = JavaSparkContext.fromSparkContext(spark.sparkContext()).broadcast(states);
        return minibatches.mapPartitions(batches -> {
            Function<Minibatch, List<T>> perBatch = values.open(shipped.value().toNetworks(step));
            return BatchIterator.of(batches::hasNext, () -> perBatch.apply(batches.next()));
        });
    }

    /**
     * The median of each of the {@code columns} values of {@code rows} (all of {@code type}), to a rank accuracy of
     * 1 / {@code accuracy} of the rows: one aggregate, so one pass.
     */
    public static double[] medians(SparkSession spark, JavaRDD<Row> rows, int columns, DataType type, int accuracy) {
        return quantiles(spark, rows, columns, type, accuracy, 0.5)[0];
    }

    /**
     * For each of {@code probabilities}, that quantile of each of the {@code columns} values of {@code rows} (all of
     * {@code type}), to a rank accuracy of 1 / {@code accuracy} of the rows: one aggregate, so one pass.
     *
     * @return [probability][column]
     */
    public static double[][] quantiles(SparkSession spark, JavaRDD<Row> rows, int columns, DataType type, int accuracy,
            double... probabilities) {
        StructType schema = new StructType();
        List<Column> quantiles = new ArrayList<>();
        for (int j = 0; j < columns; j++) {
            schema = schema.add("v" + j, type, false);
            quantiles.add(functions.percentile_approx(functions.col("v" + j), functions.lit(probabilities),
                    functions.lit(accuracy)));
        }
        Row row = spark.createDataFrame(rows, schema)
                .agg(quantiles.get(0), quantiles.subList(1, quantiles.size()).toArray(new Column[0])).first();
        double[][] values = new double[probabilities.length][columns];
        for (int j = 0; j < columns; j++) {
            if (row.isNullAt(j)) {
                throw new IllegalArgumentException("No training rows to measure the reconstruction errors on");
            }
            List<Object> perProbability = row.getList(j);
            for (int p = 0; p < probabilities.length; p++) {
                values[p][j] = ((Number) perProbability.get(p)).doubleValue();
            }
        }
        return values;
    }
}
