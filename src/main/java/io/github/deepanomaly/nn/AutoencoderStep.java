package io.github.deepanomaly.nn;

import io.github.deepanomaly.train.Minibatch;
import io.github.deepanomaly.train.SingleNetworkStep;
import java.util.List;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/** The dense autoencoder's local step: one Adam step per minibatch, the input as its own target. */
public record AutoencoderStep(int inputSize, int[] encoder, String activation, double stepSize, long seed)
        implements SingleNetworkStep {
    /**
     * Up to this many multiply-adds per row the step runs in plain Java: where a minibatch's arithmetic
     * costs less than the ~1 ms of a DL4J call, like the row-by-row scoring path's bound.
     */
    static final long PLAIN_JAVA_MAX_MULTIPLY_ADDS = 2_000;

    @Override
    public List<MultiLayerNetwork> buildNetworks() {
        return List.of(DenseAutoencoderNetwork.build(inputSize, encoder, Activations.byName(activation), stepSize,
                seed));
    }

    @Override
    public DataSet dataSet(INDArray input) {
        return new DataSet(input, input);
    }

    /** Plain Java for small networks ({@link DenseAdamStep}), DL4J's fit for larger ones. */
    @Override
    public double fitAll(List<MultiLayerNetwork> networks, List<Minibatch> minibatches) {
        MultiLayerNetwork network = networks.get(0);
        if (!DenseAdamStep.suits(network, PLAIN_JAVA_MAX_MULTIPLY_ADDS)) {
            return SingleNetworkStep.super.fitAll(networks, minibatches);
        }
        DenseAdamStep step = DenseAdamStep.of(network);
        double loss = minibatches.stream().mapToDouble(step::fit).sum();
        step.writeTo(network);
        return loss;
    }

    @Override
    public double lossAll(List<MultiLayerNetwork> networks, List<Minibatch> minibatches) {
        MultiLayerNetwork network = networks.get(0);
        return DenseAdamStep.suits(network, PLAIN_JAVA_MAX_MULTIPLY_ADDS)
                ? minibatches.stream().mapToDouble(DenseAdamStep.of(network)::loss).sum()
                : SingleNetworkStep.super.lossAll(networks, minibatches);
    }
}
