package io.github.deepanomaly.score;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Mean squared error between each row and the network's reconstruction of it. A feature's contribution
 * is its squared error, in the network's (standardized) units; the score is their mean.
 */
public final class ReconstructionError implements ExplainableScoreFunction {
    @Override
    public double[] scores(MultiLayerNetwork network, INDArray input) {
        return squaredErrors(network, input).mean(1).toDoubleVector();
    }

    @Override
    public Explained explain(MultiLayerNetwork network, INDArray input) {
        INDArray squared = squaredErrors(network, input);
        return new Explained(squared.mean(1).toDoubleVector(), squared.toFloatMatrix());
    }

    private static INDArray squaredErrors(MultiLayerNetwork network, INDArray input) {
        INDArray error = network.output(input, false).subi(input);
        return error.muli(error);
    }
}
