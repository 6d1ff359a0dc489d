package io.github.deepanomaly.nn;

import io.github.deepanomaly.train.Minibatch;
import io.github.deepanomaly.train.SingleNetworkStep;
import java.util.List;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

/**
 * The dense autoencoder's local step: one Adam step per minibatch, the input with {@code inputNoise} added
 * ({@link InputNoise}) as the network's input and the clean input as its target, the {@code trimFraction} of
 * each minibatch's worst-reconstructed rows left out ({@link TrimmedLoss}).
 */
public record AutoencoderStep(int inputSize, int[] encoder, String activation, double stepSize, long seed,
        double trimFraction, double inputNoise) implements SingleNetworkStep {
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

    /** The untrimmed minibatch: dl4j-spark's trainer fixes every DataSet before training starts. */
    @Override
    public DataSet dataSet(INDArray input) {
        return new DataSet(input, input);
    }

    @Override
    public double fit(List<MultiLayerNetwork> networks, INDArray input) {
        MultiLayerNetwork network = networks.get(0);
        network.fit(trainingSet(network, input, network.getIterationCount()));
        return network.score() * input.size(0);
    }

    /** The held-out loss of the objective trained on: the same trim, noise drawn at {@link InputNoise#HELD_OUT}. */
    @Override
    public double loss(List<MultiLayerNetwork> networks, INDArray input) {
        MultiLayerNetwork network = networks.get(0);
        return network.score(trainingSet(network, input, InputNoise.HELD_OUT), false) * input.size(0);
    }

    /**
     * The minibatch as trained on at {@code iteration}: the input with the noise added, the clean input as the
     * target, and with the trim a label mask leaving out the rows the network now reconstructs worst. Without
     * noise or trim, {@link #dataSet}'s.
     */
    private DataSet trainingSet(MultiLayerNetwork network, INDArray input, long iteration) {
        INDArray noisy = noise().addedTo(input, iteration);
        return trimFraction == 0 ? new DataSet(noisy, input)
                : new DataSet(noisy, input, null, TrimmedLoss.mask(input, network.output(noisy, false), trimFraction));
    }

    private InputNoise noise() {
        return new InputNoise(inputNoise, seed);
    }

    /** Plain Java for small networks ({@link DenseAdamStep}), DL4J's fit for larger ones. */
    @Override
    public double fitAll(List<MultiLayerNetwork> networks, List<Minibatch> minibatches) {
        MultiLayerNetwork network = networks.get(0);
        if (!DenseAdamStep.suits(network, PLAIN_JAVA_MAX_MULTIPLY_ADDS)) {
            return SingleNetworkStep.super.fitAll(networks, minibatches);
        }
        DenseAdamStep step = DenseAdamStep.of(network, trimFraction, noise());
        double loss = minibatches.stream().mapToDouble(step::fit).sum();
        step.writeTo(network);
        return loss;
    }

    @Override
    public double lossAll(List<MultiLayerNetwork> networks, List<Minibatch> minibatches) {
        MultiLayerNetwork network = networks.get(0);
        return DenseAdamStep.suits(network, PLAIN_JAVA_MAX_MULTIPLY_ADDS)
                ? minibatches.stream().mapToDouble(DenseAdamStep.of(network, trimFraction, noise())::loss).sum()
                : SingleNetworkStep.super.lossAll(networks, minibatches);
    }
}
