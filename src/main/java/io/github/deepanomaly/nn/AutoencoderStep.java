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
 * each minibatch's worst-reconstructed rows left out ({@link TrimmedLoss}; with {@code weightedTrim} ranked by their
 * errors weighted per feature as the score weighs them). With {@code plainNetwork}, a second
 * network of the same layers (initialized from another seed) takes the same steps on the clean input: the noise
 * blurs relations the normal rows hold tightly, which the plain network keeps. The losses are the two networks'
 * summed.
 */
public record AutoencoderStep(int inputSize, int[] encoder, String activation, double stepSize, long seed,
        double trimFraction, double inputNoise, boolean plainNetwork, boolean weightedTrim)
        implements SingleNetworkStep {
    /**
     * Up to this many multiply-adds per row the step runs in plain Java (the default layers up to 200 features).
     * DL4J's fit inside Spark tasks was measured slower well past where its matrix products should win: 4.1× the
     * plain step's training time at 96 features (11,520 multiply-adds), 2.0× at 192 (46,080), about even at 288
     * (103,680) (docs/benchmarks.md, "Session 16"); kept well below where the two meet.
     */
    static final long PLAIN_JAVA_MAX_MULTIPLY_ADDS = 50_000;

    /** The plain network's initialization seed, apart from the denoising network's. */
    static final long PLAIN_SEED_OFFSET = 0x5eed;

    /** One network, as trained before there could be two, its trim ranking rows by their summed squared errors. */
    public AutoencoderStep(int inputSize, int[] encoder, String activation, double stepSize, long seed,
            double trimFraction, double inputNoise) {
        this(inputSize, encoder, activation, stepSize, seed, trimFraction, inputNoise, false, false);
    }

    @Override
    public List<MultiLayerNetwork> buildNetworks() {
        MultiLayerNetwork denoising = DenseAutoencoderNetwork.build(inputSize, encoder, Activations.byName(activation),
                stepSize, seed);
        return plainNetwork ? List.of(denoising, DenseAutoencoderNetwork.build(inputSize, encoder,
                Activations.byName(activation), stepSize, seed + PLAIN_SEED_OFFSET)) : List.of(denoising);
    }

    /** The networks' noises, in their order: {@code inputNoise}, then none for the plain network. */
    private List<InputNoise> noises() {
        InputNoise noise = new InputNoise(inputNoise, seed);
        return plainNetwork ? List.of(noise, InputNoise.NONE) : List.of(noise);
    }

    /** The untrimmed minibatch: dl4j-spark's trainer fixes every DataSet before training starts. */
    @Override
    public DataSet dataSet(INDArray input) {
        return new DataSet(input, input);
    }

    @Override
    public double fit(List<MultiLayerNetwork> networks, INDArray input) {
        List<InputNoise> noises = noises();
        double loss = 0;
        for (int k = 0; k < noises.size(); k++) {
            MultiLayerNetwork network = networks.get(k);
            network.fit(trainingSet(network, input, noises.get(k), network.getIterationCount()));
            loss += network.score() * input.size(0);
        }
        return loss;
    }

    /** The held-out loss of the objective trained on: the same trim, noise drawn at {@link InputNoise#HELD_OUT}. */
    @Override
    public double loss(List<MultiLayerNetwork> networks, INDArray input) {
        List<InputNoise> noises = noises();
        double loss = 0;
        for (int k = 0; k < noises.size(); k++) {
            MultiLayerNetwork network = networks.get(k);
            loss += network.score(trainingSet(network, input, noises.get(k), InputNoise.HELD_OUT), false)
                    * input.size(0);
        }
        return loss;
    }

    /**
     * The minibatch as trained on at {@code iteration}: the input with the noise added, the clean input as the
     * target, and with the trim a label mask leaving out the rows the network now reconstructs worst. Without
     * noise or trim, {@link #dataSet}'s.
     */
    private DataSet trainingSet(MultiLayerNetwork network, INDArray input, InputNoise noise, long iteration) {
        INDArray noisy = noise.addedTo(input, iteration);
        return trimFraction == 0 ? new DataSet(noisy, input)
                : new DataSet(noisy, input, null, TrimmedLoss.mask(input, network.output(noisy, false), trimFraction,
                        weightedTrim));
    }

    /** Plain Java for small networks ({@link DenseAdamStep}), DL4J's fit for larger ones. */
    @Override
    public double fitAll(List<MultiLayerNetwork> networks, List<Minibatch> minibatches) {
        if (!DenseAdamStep.suits(networks.get(0), PLAIN_JAVA_MAX_MULTIPLY_ADDS)) {
            return SingleNetworkStep.super.fitAll(networks, minibatches);
        }
        List<InputNoise> noises = noises();
        double loss = 0;
        for (int k = 0; k < noises.size(); k++) {
            DenseAdamStep step = DenseAdamStep.of(networks.get(k), trimFraction, weightedTrim, noises.get(k));
            loss += minibatches.stream().mapToDouble(step::fit).sum();
            step.writeTo(networks.get(k));
        }
        return loss;
    }

    @Override
    public double lossAll(List<MultiLayerNetwork> networks, List<Minibatch> minibatches) {
        if (!DenseAdamStep.suits(networks.get(0), PLAIN_JAVA_MAX_MULTIPLY_ADDS)) {
            return SingleNetworkStep.super.lossAll(networks, minibatches);
        }
        List<InputNoise> noises = noises();
        double loss = 0;
        for (int k = 0; k < noises.size(); k++) {
            DenseAdamStep step = DenseAdamStep.of(networks.get(k), trimFraction, weightedTrim, noises.get(k));
            loss += minibatches.stream().mapToDouble(step::loss).sum();
        }
        return loss;
    }
}
