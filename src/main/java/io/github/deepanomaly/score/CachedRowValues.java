package io.github.deepanomaly.score;

import io.github.deepanomaly.train.LocalStep;
import io.github.deepanomaly.train.Minibatch;
import io.github.deepanomaly.train.NetworkStates;
import java.io.Serializable;
import java.util.List;
import java.util.function.Function;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;
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
}
