package io.github.deepanomaly.score;

import java.util.Iterator;
import java.util.NoSuchElementException;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.SparkSession;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.dataset.DataSet;

/**
 * Scores of the training rows, computed from the minibatches training already cached (no second read
 * of the source), and the threshold taken from them.
 */
public final class TrainingScores {
    /** Rank error of approxQuantile: 1e-4 of the rows, i.e. ±57 rows on a 567k-row set. */
    public static final double QUANTILE_RELATIVE_ERROR = 1e-4;

    private TrainingScores() {
    }

    public static Dataset<Double> of(SparkSession spark, JavaRDD<DataSet> minibatches, MultiLayerNetwork network,
            ScoreFunction scoreFunction) {
        Broadcast<byte[]> bytes = JavaSparkContext.fromSparkContext(spark.sparkContext())
                .broadcast(NetworkBytes.toBytes(network));
        JavaRDD<Double> scores = minibatches.mapPartitions(batches -> {
            MultiLayerNetwork net = NetworkBytes.fromBytes(bytes.value());
            // Lazily, one minibatch at a time: a partition's scores never sit in memory all at once.
            return new Iterator<Double>() {
                private double[] current = new double[0];
                private int next;

                @Override
                public boolean hasNext() {
                    while (next == current.length && batches.hasNext()) {
                        current = scoreFunction.scores(net, batches.next().getFeatures());
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

    /** The (1 − contamination) quantile of the scores; NaN when contamination is 0 (no threshold). */
    public static double threshold(Dataset<Double> scores, double contamination) {
        if (contamination <= 0) {
            return Double.NaN;
        }
        return scores.stat().approxQuantile(scores.columns()[0], new double[] {1 - contamination},
                QUANTILE_RELATIVE_ERROR)[0];
    }
}
