package io.github.deepanomaly.score;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntFunction;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Mean squared error between each row and the network's reconstruction of it. A feature's contribution
 * is its squared error, in the network's (standardized) units, counted as its {@link ErrorWeights} say when there
 * are any (times the feature's weight, logarithmically above its limit); the score is their mean.
 */
public final class ReconstructionError implements ExplainableScoreFunction {
    /** Null: through DL4J's {@code output()} on the whole batch. */
    private final DenseForwardPass rowPass;
    /** How each feature's squared error counts. */
    private final ErrorWeights weights;
    /** Times the network is applied to reconstruct a row ({@link ReconstructionPasses}); the row pass's own count. */
    private final int passes;

    /** Scores batches through DL4J's {@code output()}, unweighted. */
    public ReconstructionError() {
        this(ErrorWeights.NONE, 1);
    }

    /**
     * Scores batches through DL4J's {@code output()} applied {@code passes} times, each feature's squared error
     * counted as {@code weights} say.
     */
    public ReconstructionError(ErrorWeights weights, int passes) {
        this(null, weights, passes);
    }

    private ReconstructionError(DenseForwardPass rowPass, ErrorWeights weights, int passes) {
        if (passes < 1) {
            throw new IllegalArgumentException("a network is applied at least once, got " + passes + " passes");
        }
        this.rowPass = rowPass;
        this.weights = weights;
        this.passes = passes;
    }

    /**
     * Scores batches the way a model's transform will score this network's rows, reconstructed in {@code passes}
     * passes: one by one with its {@link DenseForwardPass} when the model scores {@code rowwise}
     * ({@link ReconstructionPasses#rowwise}), else through DL4J. Training scores, and so
     * the threshold and the score distribution, then agree with transform's scores to the last bit (the
     * two passes differ by float rounding, ~1e-7 of a score).
     */
    public static ReconstructionError likeTransform(MultiLayerNetwork network, ErrorWeights weights, int passes,
            boolean rowwise) {
        return new ReconstructionError(rowwise ? DenseForwardPass.of(network).repeated(passes) : null, weights, passes);
    }

    /**
     * One per entry of {@code passes}, network {@code k} counted with {@code weights.apply(k)}, each scoring like
     * transform: the choice between row by row and batches made once for all of them
     * ({@link ReconstructionPasses#rowwise}).
     */
    public static List<ReconstructionError> likeTransform(List<MultiLayerNetwork> networks,
            IntFunction<ErrorWeights> weights, ReconstructionPasses passes) {
        boolean rowwise = passes.rowwise(networks);
        List<ReconstructionError> errors = new ArrayList<>(passes.networks());
        for (int k = 0; k < passes.networks(); k++) {
            errors.add(likeTransform(networks.get(k), weights.apply(k), passes.of(k), rowwise));
        }
        return errors;
    }

    @Override
    public double[] scores(MultiLayerNetwork network, INDArray input) {
        if (rowPass == null) {
            return weights.limits() == null ? squaredErrors(network, input).mean(1).toDoubleVector()
                    : explain(network, input).scores();
        }
        return scores(network, input.dup('c').data().asFloat(), input.shape());
    }

    /**
     * The scores of {@code rows} standardized rows laid out one after another in {@code values}, row by row
     * when this function scores like that, else through DL4J.
     */
    public double[] scores(MultiLayerNetwork network, float[] values, long[] shape) {
        if (rowPass == null) {
            return scores(network, Nd4j.create(values, shape, 'c'));
        }
        int rows = (int) shape[0];
        int width = values.length / rows;
        double[] scores = new double[rows];
        float[] row = new float[width];
        for (int i = 0; i < rows; i++) {
            System.arraycopy(values, i * width, row, 0, width);
            scores[i] = score(row, rowPass.output(row), weights);
        }
        return scores;
    }

    /**
     * Each of {@code shape[0]} standardized rows' squared errors, feature by feature (weighted when there are
     * weights): row by row when this function scores like that, else through DL4J.
     */
    public float[][] squaredErrors(MultiLayerNetwork network, float[] values, long[] shape) {
        if (rowPass == null) {
            return explain(network, Nd4j.create(values, shape, 'c')).contributions();
        }
        int rows = (int) shape[0];
        int width = values.length / rows;
        float[][] squared = new float[rows][];
        float[] row = new float[width];
        for (int i = 0; i < rows; i++) {
            System.arraycopy(values, i * width, row, 0, width);
            squared[i] = squaredErrors(row, rowPass.output(row), weights);
        }
        return squared;
    }

    @Override
    public Explained explain(MultiLayerNetwork network, INDArray input) {
        INDArray squared = squaredErrors(network, input);
        if (weights.limits() == null) {
            return new Explained(squared.mean(1).toDoubleVector(), rowsOf(squared));
        }
        // the limits are not one array operation: row by row on the unweighted errors, as the plain-Java pass
        float[][] counted = rowsOf(squared);
        double[] scores = new double[counted.length];
        for (int i = 0; i < counted.length; i++) {
            double sum = 0;
            for (int j = 0; j < counted[i].length; j++) {
                counted[i][j] = (float) weights.contribution(j, counted[i][j]);
                sum += counted[i][j];
            }
            scores[i] = sum / counted[i].length;
        }
        return new Explained(scores, counted);
    }

    /**
     * A [rows, features] array's rows, from one bulk copy of its values: ND4J's {@code toFloatMatrix()} reads row by
     * row, an ND4J call each, which held the batched path to ~9,000 rows/s at any width (`benchmark --suite paths`).
     */
    private static float[][] rowsOf(INDArray matrix) {
        int rows = (int) matrix.size(0);
        int width = (int) matrix.size(1);
        float[] values = matrix.dup('c').data().asFloat();
        float[][] copied = new float[rows][];
        for (int i = 0; i < rows; i++) {
            copied[i] = Arrays.copyOfRange(values, i * width, (i + 1) * width);
        }
        return copied;
    }

    /** One row's score from its (standardized) input and the network's output for it. */
    public static double score(float[] input, float[] output) {
        return score(input, output, ErrorWeights.NONE);
    }

    /** One row's score, each feature's squared error counted as {@code weights} say. */
    public static double score(float[] input, float[] output, ErrorWeights weights) {
        double sum = 0;
        for (int j = 0; j < input.length; j++) {
            double error = output[j] - input[j];
            sum += weights.contribution(j, error * error);
        }
        return sum / input.length;
    }

    /** One row's contributions: the squared error of each feature. */
    public static float[] squaredErrors(float[] input, float[] output) {
        return squaredErrors(input, output, ErrorWeights.NONE);
    }

    /** One row's contributions: each feature's squared error counted as {@code weights} say. */
    public static float[] squaredErrors(float[] input, float[] output, ErrorWeights weights) {
        float[] squared = new float[input.length];
        for (int j = 0; j < input.length; j++) {
            float error = output[j] - input[j];
            squared[j] = (float) weights.contribution(j, (double) error * error);
        }
        return squared;
    }

    /**
     * Per row and feature, weighted when there are weights and there are no limits (with limits: unweighted, for
     * {@link #explain}); an output of another shape (an image network's [rows, c, h, w]) laid out like the input.
     */
    private INDArray squaredErrors(MultiLayerNetwork network, INDArray input) {
        INDArray output = network.output(input, false);
        for (int p = 1; p < passes; p++) {
            output = network.output(output, false);
        }
        INDArray error = output.reshape('c', input.shape()).subi(input);
        INDArray squared = error.muli(error);
        return weights.weights() == null || weights.limits() != null ? squared
                : squared.muliRowVector(Nd4j.create(weights.weights()).castTo(squared.dataType()));
    }
}
