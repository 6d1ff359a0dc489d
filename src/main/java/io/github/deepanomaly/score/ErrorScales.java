package io.github.deepanomaly.score;

import io.github.deepanomaly.train.LocalStep;
import io.github.deepanomaly.train.Minibatch;
import io.github.deepanomaly.train.NetworkStates;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.function.Function2;
import org.apache.spark.sql.SparkSession;

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
 * <p>
 * A model of two networks (the denoising one and a plain one, {@code plainNetwork}) averages their scores, each
 * divided by its typical (median) score over the training rows, so that neither network's scale decides.
 *
 * <p>
 * Above a limit, a multiple ({@code errorLimit}) of its 99.5th percentile over the training rows, a feature's squared
 * error counts only logarithmically ({@link ErrorWeights}): the errors of a feature reconstructed almost exactly for
 * most rows are heavy-tailed among the normal rows too, and its large weight would otherwise let it rank the rows
 * alone.
 *
 * @param typical      one per feature, in squared standardized units, as measured
 * @param balanced     whether the weights add the unscaled share (false in models saved before it existed)
 * @param typicalScore the median over the training rows of the score these weights give, which the weights are
 *                     then divided by; 0 when not measured (one network, and models saved before it existed)
 * @param limits       one per feature, in squared standardized units, above which its error counts
 *                     logarithmically (0: no limit for that feature); null: none (models saved before they existed)
 * @param floor        the least typical error a feature is divided by, as a share of the mean of the features'
 *                     typical errors ({@link #FLOOR} when measured); 0 in models saved before it was kept, which
 *                     score with {@link #LEGACY_FLOOR}
 */
public record ErrorScales(double[] typical, boolean balanced, double typicalScore, double[] limits, double floor)
        implements Serializable {
    /**
     * The least typical error a feature is divided by, relative to the mean of all features' typical errors, so
     * that no feature's weight exceeds about 50 times the uniform one. A feature the network reconstructs (nearly)
     * exactly for most rows, a constant one or a discrete one whose most common value more than half the rows
     * share, has a median error near 0 that says how exactly the network returns that value, not how unusual
     * a row's error is: the longer the training, the larger its weight, until the rows off that value outrank the
     * anomalies (wbc, whose {@code minSteps} epochs took its AUC-ROC from 0.986 to 0.971). 0.02 by measurement (README,
     * "Quality", step 9): 0.01–0.03 tie on the tuning sets, lift the confirmation sets and leave the MNIST tables
     * as they were; 0.05 and above cost thyroid and mammography, whose anomalies need the large weights.
     */
    public static final double FLOOR = 0.02;

    /** The floor of models saved before it was kept in them: a guard against float noise alone. */
    public static final double LEGACY_FLOOR = 1e-3;

    /**
     * The 99.5th percentile, of which a feature's limit is a multiple: what one training row in 200 reaches. Chosen
     * among 0.95–0.999 (README, "Quality"): at 0.998 and above shuttle's rare normal values (0.7 % of its rows) are
     * inside the limit and keep their lead; at 0.99 and below, the MNIST tables' rarely inked pixels lose more.
     */
    static final double LIMIT_QUANTILE = 0.995;

    /** Scales without limits whose weights are not divided by a typical score. */
    public ErrorScales(double[] typical, boolean balanced) {
        this(typical, balanced, 0, null, FLOOR);
    }

    /** Every feature's error as it is ({@code errorScaling} 'none'), for a score that is still divided by its typical value. */
    public static ErrorScales unscaled(int numFeatures) {
        double[] ones = new double[numFeatures];
        Arrays.fill(ones, 1);
        return new ErrorScales(ones, false);
    }

    public ErrorScales {
        requireFiniteNonNegative("a typical score", typicalScore);
        requireFiniteNonNegative("the typical errors' floor", floor);
        for (double t : typical) {
            requireFiniteNonNegative("a typical error", t);
        }
        typical = typical.clone();
        if (limits != null) {
            if (limits.length != typical.length) {
                throw new IllegalArgumentException(typical.length + " typical errors but " + limits.length + " limits");
            }
            for (double l : limits) {
                requireFiniteNonNegative("an error limit", l);
            }
            limits = limits.clone();
        }
    }

    private static void requireFiniteNonNegative(String what, double value) {
        if (!(value >= 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(what + " must be finite and >= 0, got " + value);
        }
    }

    @Override
    public double[] typical() {
        return typical.clone();
    }

    @Override
    public double[] limits() {
        return limits == null ? null : limits.clone();
    }

    /** How the score counts each feature's squared error: times its {@link #weights()}, logarithmically above its limit. */
    public ErrorWeights errorWeights() {
        float[] counted = null;
        if (limits != null) {
            counted = new float[limits.length];
            for (int j = 0; j < limits.length; j++) {
                counted[j] = (float) limits[j];
            }
        }
        return new ErrorWeights(weights(), counted);
    }

    /**
     * What each feature's squared error is multiplied by: 1 / max(typical, floor × mean typical), plus 1 / mean
     * typical when balanced; all divided by the typical score when it was measured.
     */
    public float[] weights() {
        double[] undivided = weightsOf(typical, floor > 0 ? floor : LEGACY_FLOOR, balanced);
        double divisor = typicalScore > 0 ? typicalScore : 1;
        float[] weights = new float[typical.length];
        for (int j = 0; j < typical.length; j++) {
            weights[j] = (float) (undivided[j] / divisor);
        }
        return weights;
    }

    /**
     * Each feature's weight from its typical error: 1 / max(typical, floor × mean typical), plus 1 / mean typical when
     * balanced. The score's weights ({@link #weights()}), and those the weighted trim ranks a minibatch's rows by,
     * from the minibatch's own medians ({@code nn.TrimmedLoss}).
     */
    public static double[] weightsOf(double[] typical, double floor, boolean balanced) {
        double mean = Arrays.stream(typical).average().orElse(1);
        double least = Math.max(Double.MIN_NORMAL, floor * mean);
        double uniform = balanced ? 1 / Math.max(Double.MIN_NORMAL, mean) : 0;
        double[] weights = new double[typical.length];
        for (int j = 0; j < typical.length; j++) {
            weights[j] = 1 / Math.max(typical[j], least) + uniform;
        }
        return weights;
    }

    /** These scales with their weights divided by {@code score}, the typical score they give. */
    public ErrorScales withTypicalScore(double score) {
        return new ErrorScales(typical, balanced, score, limits, floor);
    }

    /**
     * The medians of every cached row's squared errors (held-out rows too), feature by feature, for each of the
     * first networks built from {@code step} and loaded with {@code states}, one per entry of {@code passes}, each
     * reconstructing a row in its passes, and as limits {@code errorLimit} times their 99.5th percentiles (0: no
     * limits): one pass on the executors for all of them, each value within one percent
     * ({@link RelativeQuantileSketch}).
     */
    public static List<ErrorScales> medians(SparkSession spark, JavaRDD<Minibatch> minibatches, LocalStep step,
            NetworkStates states, int numFeatures, boolean balanced, double errorLimit, ReconstructionPasses passes) {
        int count = passes.networks();
        JavaRDD<float[]> errors = CachedRowValues.of(spark, minibatches, step, states, networks -> {
            // the plain-Java pass for small networks: one DL4J call per minibatch costs more than the medians
            List<ReconstructionError> unweighted = ReconstructionError.likeTransform(networks, k -> ErrorWeights.NONE,
                    passes);
            return batch -> {
                float[][][] perNetwork = new float[count][][];
                for (int k = 0; k < count; k++) {
                    perNetwork[k] = unweighted.get(k).squaredErrors(networks.get(k), batch.values(), batch.shape());
                }
                List<float[]> rows = new ArrayList<>(batch.rows());
                for (int i = 0; i < batch.rows(); i++) {
                    float[] values = new float[count * numFeatures];
                    for (int k = 0; k < count; k++) {
                        System.arraycopy(perNetwork[k][i], 0, values, k * numFeatures, numFeatures);
                    }
                    rows.add(values);
                }
                return rows;
            };
        });
        RelativeQuantileSketch sketch = sketch(errors, count * numFeatures, RelativeQuantileSketch::add);
        double[] medians = sketch.quantiles(0.5);
        double[] percentiles = errorLimit > 0 ? sketch.quantiles(LIMIT_QUANTILE) : null;
        List<ErrorScales> scales = new ArrayList<>(count);
        for (int k = 0; k < count; k++) {
            double[] limits = null;
            if (percentiles != null) {
                limits = Arrays.copyOfRange(percentiles, k * numFeatures, (k + 1) * numFeatures);
                for (int j = 0; j < numFeatures; j++) {
                    limits[j] *= errorLimit;
                }
            }
            scales.add(new ErrorScales(Arrays.copyOfRange(medians, k * numFeatures, (k + 1) * numFeatures),
                    balanced, 0, limits, FLOOR));
        }
        return scales;
    }

    /** The sketch of every row's values, partition by partition on the executors, merged in a tree. */
    private static <T> RelativeQuantileSketch sketch(JavaRDD<T> rows, int columns,
            Function2<RelativeQuantileSketch, T, RelativeQuantileSketch> add) {
        RelativeQuantileSketch sketch = rows.treeAggregate(new RelativeQuantileSketch(columns), add,
                RelativeQuantileSketch::merge);
        if (sketch.count() == 0) {
            throw new IllegalArgumentException("No training rows to measure the reconstruction errors on");
        }
        return sketch;
    }

    /**
     * {@code scales}, one per network in order, each with the median over the cached rows of the score its
     * weights give its network reconstructing in its {@code passes} ({@link ReconstructionError#likeTransform}) as its
     * typical score: one more pass.
     */
    public static List<ErrorScales> withTypicalScores(SparkSession spark, JavaRDD<Minibatch> minibatches,
            LocalStep step, NetworkStates states, List<ErrorScales> scales, ReconstructionPasses passes) {
        int count = scales.size();
        if (passes.networks() != count) {
            throw new IllegalArgumentException(count + " error scales but passes for " + passes.networks() + " networks");
        }
        JavaRDD<double[]> scores = CachedRowValues.of(spark, minibatches, step, states, networks -> {
            List<ReconstructionError> weighted = ReconstructionError.likeTransform(networks,
                    k -> scales.get(k).errorWeights(), passes);
            return batch -> {
                double[][] perNetwork = new double[count][];
                for (int k = 0; k < count; k++) {
                    perNetwork[k] = weighted.get(k).scores(networks.get(k), batch.values(), batch.shape());
                }
                List<double[]> rows = new ArrayList<>(batch.rows());
                for (int i = 0; i < batch.rows(); i++) {
                    double[] values = new double[count];
                    for (int k = 0; k < count; k++) {
                        values[k] = perNetwork[k][i];
                    }
                    rows.add(values);
                }
                return rows;
            };
        });
        double[] typical = sketch(scores, count, RelativeQuantileSketch::add).quantiles(0.5);
        List<ErrorScales> measured = new ArrayList<>(count);
        for (int k = 0; k < count; k++) {
            measured.add(scales.get(k).withTypicalScore(typical[k]));
        }
        return measured;
    }
}
