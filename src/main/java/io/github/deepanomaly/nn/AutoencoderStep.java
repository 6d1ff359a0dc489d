package io.github.deepanomaly.nn;

import io.github.deepanomaly.train.SingleNetworkStep;
import java.util.List;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/** The dense autoencoder's local step: one DL4J fit per minibatch, the input as its own target. */
public record AutoencoderStep(int inputSize, int[] encoder, String activation, double stepSize, long seed)
        implements SingleNetworkStep {

    @Override
    public List<MultiLayerNetwork> buildNetworks() {
        return List.of(DenseAutoencoderNetwork.build(inputSize, encoder, Activations.byName(activation), stepSize,
                seed));
    }

    @Override
    public DataSet dataSet(INDArray input) {
        return new DataSet(input, input);
    }
}
