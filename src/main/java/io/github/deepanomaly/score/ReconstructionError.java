package io.github.deepanomaly.score;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Mean squared error between each row and the network's reconstruction of it. */
public final class ReconstructionError implements ScoreFunction {
    @Override
    public double[] scores(MultiLayerNetwork network, INDArray input) {
        INDArray error = network.output(input, false).subi(input);
        return error.muli(error).mean(1).toDoubleVector();
    }
}
