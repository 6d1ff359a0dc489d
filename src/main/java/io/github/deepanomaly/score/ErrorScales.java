package io.github.deepanomaly.score;

import io.github.deepanomaly.train.LocalStep;
import io.github.deepanomaly.train.Minibatch;
import io.github.deepanomaly.train.NetworkStates;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/**
 * Each feature's typical squared reconstruction error over the training rows (its median), by which the
 * autoencoder divides that feature's error before averaging them into the score. A feature the network
 * reconstructs closely for most rows (a heavy-tailed one: most rows in a tight bulk) then weighs by how far
 * a row's error is from what is usual for it, instead of being drowned by features that are hard to
 * reconstruct for every row. The median rather than the mean: the training rows contain the anomalies.
 * <p>
 * Balanced, each feature's weight also gets the share it has unscaled (one over the mean typical error), so an
 * error counts by its size as well as by how unusual it is for its feature. Scaled alone, features the
 * network reconstructs almost exactly for most rows (the rarely inked border pixels of an image flattened
 * into a table) outweigh the features where the normal rows differ and most anomalies show; unscaled, the
 * heavy-tailed features of the shared tables are drowned. The sum of both scores, each divided by its typical
 * value, is this weighted mean (the typical row sums approximated by the sums of the typical errors).
 *
 * @param typical  one per feature, in squared standardized units, as measured
 * @param balanced whether the weights add the unscaled share (false in models saved before it existed)
 */
public record ErrorScales(double[] typical, boolean balanced) implements Serializable {
    /**
     * The least typical error a feature is divided by, relative to the mean of all features' typical
     * errors: a feature the network reconstructs (nearly) exactly, a constant one for instance, would
     * otherwise turn float noise into the score.
     */
    public static final double FLOOR = 1e-3;

    /** Rank accuracy of the medians' sketch (1/1000 of the rows): ample for a scale. */
    static final int MEDIAN_ACCURACY = 1_000;

    public ErrorScales {
        for (double t : typical) {
            if (!(t >= 0) || Double.isInfinite(t)) {
                throw new IllegalArgumentException("a typical error must be finite and >= 0, got " + t);
            }
        }
        typical = typical.clone();
    }

    @Override
    public double[] typical() {
        return typical.clone();
    }

    /**
     * What each feature's squared error is multiplied by: 1 / max(typical, FLOOR × mean typical), plus 1 / mean
     * typical when balanced.
     */
    public float[] weights() {
        double mean = Arrays.stream(typical).average().orElse(1);
        double floor = Math.max(Double.MIN_NORMAL, FLOOR * mean);
        double uniform = balanced ? 1 / Math.max(Double.MIN_NORMAL, mean) : 0;
        float[] weights = new float[typical.length];
        for (int j = 0; j < typical.length; j++) {
            weights[j] = (float) (1 / Math.max(typical[j], floor) + uniform);
        }
        return weights;
    }

    /**
     * The medians of every cached row's squared errors (held-out rows too), feature by feature, computed on
     * the executors by networks built from {@code step} and loaded with {@code states}; the network whose
     * reconstruction is scored is the first.
     */
    public static ErrorScales median(SparkSession spark, JavaRDD<Minibatch> minibatches, LocalStep step,
            NetworkStates states, int numFeatures, boolean balanced) {
        JavaRDD<Row> errors = CachedRowValues.of(spark, minibatches, step, states, networks -> {
            MultiLayerNetwork network = networks.get(0);
            // the plain-Java pass for small networks: one DL4J call per minibatch costs more than the medians
            ReconstructionError unweighted = ReconstructionError.likeTransform(network, null);
            return batch -> Arrays.stream(unweighted.squaredErrors(network, batch.values(), batch.shape()))
                    .map(ErrorScales::row).toList();
        });
        StructType schema = new StructType();
        List<Column> medians = new ArrayList<>();
        for (int j = 0; j < numFeatures; j++) {
            schema = schema.add("e" + j, DataTypes.FloatType, false);
            medians.add(functions.percentile_approx(functions.col("e" + j), functions.lit(0.5),
                    functions.lit(MEDIAN_ACCURACY)));
        }
        Row row = spark.createDataFrame(errors, schema)
                .agg(medians.get(0), medians.subList(1, medians.size()).toArray(new Column[0])).first();
        double[] typical = new double[numFeatures];
        for (int j = 0; j < numFeatures; j++) {
            if (row.isNullAt(j)) {
                throw new IllegalArgumentException("No training rows to measure the reconstruction errors on");
            }
            typical[j] = ((Number) row.get(j)).doubleValue();
        }
        return new ErrorScales(typical, balanced);
    }

    private static Row row(float[] errors) {
        Object[] values = new Object[errors.length];
        for (int j = 0; j < errors.length; j++) {
            values[j] = errors[j];
        }
        return RowFactory.create(values);
    }
}
