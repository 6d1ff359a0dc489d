package io.github.deepanomaly.score;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Mean squared error between each row and the network's reconstruction of it. A feature's contribution
 * is its squared error, in the network's (standardized) units; the score is their mean.
 */
public final class ReconstructionError implements ExplainableScoreFunction {
    /** Null: through DL4J's {@code output()} on the whole batch. */
    private final DenseForwardPass rowPass;

    /** Scores batches through DL4J's {@code output()}. */
    public ReconstructionError() {
        this(null);
    }

    private ReconstructionError(DenseForwardPass rowPass) {
        this.rowPass = rowPass;
    }

    /**
     * Scores batches the way a model's transform will score this network's rows: one by one with its
     * {@link DenseForwardPass} when {@link RowScorer#suits} it, else through DL4J. Training scores, and so
     * the threshold and the score distribution, then agree with transform's scores to the last bit (the
     * two passes differ by float rounding, ~1e-7 of a score).
     */
    public static ReconstructionError likeTransform(MultiLayerNetwork network) {
        DenseForwardPass pass = DenseForwardPass.of(network);
        return new ReconstructionError(RowScorer.suits(pass) ? pass : null);
    }

    @Override
    public double[] scores(MultiLayerNetwork network, INDArray input) {
        if (rowPass == null) {
            return squaredErrors(network, input).mean(1).toDoubleVector();
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
            scores[i] = score(row, rowPass.output(row));
        }
        return scores;
    }

    @Override
    public Explained explain(MultiLayerNetwork network, INDArray input) {
        INDArray squared = squaredErrors(network, input);
        return new Explained(squared.mean(1).toDoubleVector(), squared.toFloatMatrix());
    }

    /** One row's score from its (standardized) input and the network's output for it. */
    public static double score(float[] input, float[] output) {
        double sum = 0;
        for (int j = 0; j < input.length; j++) {
            double error = output[j] - input[j];
            sum += error * error;
        }
        return sum / input.length;
    }

    /** One row's contributions: the squared error of each feature. */
    public static float[] squaredErrors(float[] input, float[] output) {
        float[] squared = new float[input.length];
        for (int j = 0; j < input.length; j++) {
            float error = output[j] - input[j];
            squared[j] = error * error;
        }
        return squared;
    }

    /** Per row and feature; an output of another shape (an image network's [rows, c, h, w]) laid out like the input. */
    private static INDArray squaredErrors(MultiLayerNetwork network, INDArray input) {
        INDArray error = network.output(input, false).reshape('c', input.shape()).subi(input);
        return error.muli(error);
    }
}
