package io.github.deepanomaly.nn;

import io.github.deepanomaly.image.ImageShape;
import io.github.deepanomaly.train.SingleNetworkStep;
import java.util.List;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

/**
 * The convolutional autoencoder's local step: DL4J's fit on each minibatch of flat image rows, the input
 * as its own target, shaped as the network's output: [rows, channels, height, width].
 */
public record ConvAutoencoderStep(ImageShape shape, int[] filters, int kernelSize, int latentSize,
        double stepSize, long seed) implements SingleNetworkStep {

    @Override
    public List<MultiLayerNetwork> buildNetworks() {
        return List.of(ConvAutoencoderNetwork.build(shape, filters, kernelSize, latentSize, stepSize, seed));
    }

    /**
     * The mean squared error per value, summed over the rows, as the score counts: DL4J's loss of a CNN
     * output sums over the pixels (and averages over channels), which would make the reported losses
     * height x width times the score's scale.
     */
    @Override
    public double fit(List<MultiLayerNetwork> networks, INDArray input) {
        return SingleNetworkStep.super.fit(networks, input) / pixels();
    }

    @Override
    public double loss(List<MultiLayerNetwork> networks, INDArray input) {
        return SingleNetworkStep.super.loss(networks, input) / pixels();
    }

    private double pixels() {
        return (double) shape.height() * shape.width();
    }

    @Override
    public DataSet dataSet(INDArray input) {
        return new DataSet(input, input.reshape('c', input.size(0), shape.channels(), shape.height(), shape.width()));
    }
}
