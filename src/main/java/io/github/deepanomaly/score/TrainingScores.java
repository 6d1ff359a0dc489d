package io.github.deepanomaly.score;

import io.github.deepanomaly.train.LocalStep;
import io.github.deepanomaly.train.Minibatch;
import io.github.deepanomaly.train.NetworkStates;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;

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
     * must see), as {@link CachedRowValues#of} computes them.
     */
    public static Dataset<Double> of(SparkSession spark, JavaRDD<Minibatch> minibatches, LocalStep step,
            NetworkStates states, NetworksScore scoreFunction) {
        JavaRDD<Double> scores = CachedRowValues.of(spark, minibatches, step, states,
                networks -> batch -> Arrays.stream(scoreFunction.scores(networks, batch)).boxed().toList());
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
