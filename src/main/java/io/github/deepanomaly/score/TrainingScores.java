package io.github.deepanomaly.score;

import io.github.deepanomaly.train.LocalStep;
import io.github.deepanomaly.train.Minibatch;
import io.github.deepanomaly.train.NetworkStates;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/**
 * Scores of the training rows, computed from the minibatches training already cached (no second read
 * of the source), and what the model keeps of them: the threshold and their distribution.
 */
public final class TrainingScores {
    /** Rank error of the quantiles: 1e-4 of the rows, i.e. ±57 rows on a 567k-row set. */
    public static final double QUANTILE_RELATIVE_ERROR = 1e-4;

    private TrainingScores() {
    }

    /**
     * The scores of every cached minibatch's rows (held-out ones too: they are training rows the threshold
     * must see), by networks the executors build from {@code step} and load with {@code states}.
     */
    public static Dataset<Double> of(SparkSession spark, JavaRDD<Minibatch> minibatches, LocalStep step,
            NetworkStates states, NetworksScore scoreFunction) {
        Broadcast<NetworkStates> shipped = JavaSparkContext.fromSparkContext(spark.sparkContext()).broadcast(states);
        JavaRDD<Double> scores = minibatches.mapPartitions(batches -> {
            List<MultiLayerNetwork> networks = shipped.value().toNetworks(step);
            // Lazily, one minibatch at a time: a partition's scores never sit in memory all at once.
            return new Iterator<Double>() {
                private double[] current = new double[0];
                private int next;

                @Override
                public boolean hasNext() {
                    while (next == current.length && batches.hasNext()) {
                        current = scoreFunction.scores(networks, batches.next());
                        next = 0;
                    }
                    return next < current.length;
                }

                @Override
                public Double next() {
                    if (!hasNext()) {
                        throw new NoSuchElementException();
                    }
                    return current[next++];
                }
            };
        });
        return spark.createDataset(scores.rdd(), Encoders.DOUBLE());
    }

    /**
     * The threshold and the training score distribution. One aggregate, so one pass over the scores (each
     * pass runs the network over every training row again): the sketch's quantiles and the threshold come
     * from the same approximate-percentile digest, with count, mean and standard deviation beside them.
     */
    public static Summary summarize(Dataset<Double> scores, double contamination) {
        double[] sketch = ScoreDistribution.sketchProbabilities();
        double[] probabilities = Arrays.copyOf(sketch, sketch.length + 1);
        probabilities[sketch.length] = 1 - contamination;
        Column score = functions.col(scores.columns()[0]);
        Row row = scores.agg(
                functions.percentile_approx(score, functions.lit(probabilities),
                        functions.lit((int) Math.round(1 / QUANTILE_RELATIVE_ERROR))),
                functions.count(score), functions.avg(score), functions.stddev_pop(score))
                .first();
        long count = row.getLong(1);
        if (count == 0) {
            throw new IllegalArgumentException("No training scores: the training data has no usable rows");
        }
        List<Double> quantiles = row.getList(0);
        double[] values = quantiles.stream().mapToDouble(Double::doubleValue).toArray();
        ScoreDistribution distribution = new ScoreDistribution(Arrays.copyOf(values, sketch.length),
                row.getDouble(2), row.getDouble(3), count);
        return new Summary(contamination > 0 ? values[sketch.length] : Double.NaN, distribution);
    }

    /**
     * @param threshold    the (1 − contamination) quantile of the training scores; NaN when contamination is
     *                     0 (no threshold)
     * @param distribution what normalized scores and confidence are computed against
     */
    public record Summary(double threshold, ScoreDistribution distribution) {
    }
}
