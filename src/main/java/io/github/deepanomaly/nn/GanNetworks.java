package io.github.deepanomaly.nn;

import java.util.Arrays;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationLReLU;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * The GAN detector's three dense networks, as DL4J networks so that the averaging engine and persistence treat
 * them like any other: an encoder x → z, a generator z → x̂ (together the shape of the dense autoencoder, the
 * encoder's last layer being the latent code, bounded by the hidden activation), and a discriminator x → hidden
 * features → one logit (real vs generated). Their output layers carry an MSE loss only because DL4J wants one:
 * {@link GanStep} computes every loss and gradient itself.
 */
public final class GanNetworks {
    /** Leaky ReLU slope of the discriminator's hidden layers (the DCGAN choice, Radford et al. 2016). */
    static final double DISCRIMINATOR_LEAK = 0.2;
    /** Networks stacked for scoring never train: their updater's rate is only a setting DL4J requires. */
    private static final double SCORING_ONLY_STEP_SIZE = 1e-3;
    public static final int ENCODER = 0;
    public static final int GENERATOR = 1;
    public static final int DISCRIMINATOR = 2;

    private GanNetworks() {
    }

    /** x → hidden layers → latent code (the last entry of {@code encoder}), all with {@code activation}. */
    public static MultiLayerNetwork encoder(int inputSize, int[] encoder, Activation activation, double stepSize,
            long seed) {
        NeuralNetConfiguration.ListBuilder layers = builder(stepSize, seed);
        int in = inputSize;
        for (int i = 0; i < encoder.length - 1; i++) {
            layers.layer(new DenseLayer.Builder().nIn(in).nOut(encoder[i]).activation(activation).build());
            in = encoder[i];
        }
        layers.layer(output(in, encoder[encoder.length - 1], activation.getActivationFunction()));
        return init(layers);
    }

    /** Latent code → the encoder's hidden layers mirrored → x̂ (linear, like the autoencoder's output). */
    public static MultiLayerNetwork generator(int inputSize, int[] encoder, Activation activation, double stepSize,
            long seed) {
        NeuralNetConfiguration.ListBuilder layers = builder(stepSize, seed + 1);
        int in = encoder[encoder.length - 1];
        for (int i = encoder.length - 2; i >= 0; i--) {
            layers.layer(new DenseLayer.Builder().nIn(in).nOut(encoder[i]).activation(activation).build());
            in = encoder[i];
        }
        layers.layer(output(in, inputSize, Activation.IDENTITY.getActivationFunction()));
        return init(layers);
    }

    /** x → the encoder's hidden sizes (leaky ReLU; the last is the feature layer) → one logit. */
    public static MultiLayerNetwork discriminator(int inputSize, int[] encoder, double stepSize, long seed) {
        NeuralNetConfiguration.ListBuilder layers = builder(stepSize, seed + 2);
        int in = inputSize;
        for (int size : encoder) {
            layers.layer(new DenseLayer.Builder().nIn(in).nOut(size)
                    .activation(new ActivationLReLU(DISCRIMINATOR_LEAK)).build());
            in = size;
        }
        layers.layer(output(in, 1, Activation.IDENTITY.getActivationFunction()));
        return init(layers);
    }

    /**
     * One network x → z → x̂ with the encoder's and the generator's layers and weights: what scoring by
     * reconstruction runs, so that it goes through the same row-by-row or batched path as the autoencoder.
     */
    public static MultiLayerNetwork reconstruction(MultiLayerNetwork encoder, MultiLayerNetwork generator) {
        return stack(new MultiLayerNetwork[] {encoder, generator}, new int[] {encoder.getnLayers(),
                generator.getnLayers()});
    }

    /** The discriminator without its logit: x → its hidden features, what the discriminator score compares. */
    public static MultiLayerNetwork discriminatorFeatures(MultiLayerNetwork discriminator) {
        return stack(new MultiLayerNetwork[] {discriminator}, new int[] {discriminator.getnLayers() - 1});
    }

    /** The first {@code counts[i]} layers of each network in turn, as dense layers of one network, weights copied. */
    private static MultiLayerNetwork stack(MultiLayerNetwork[] networks, int[] counts) {
        NeuralNetConfiguration.ListBuilder layers = builder(SCORING_ONLY_STEP_SIZE, 0);
        int total = 0;
        for (int n = 0; n < networks.length; n++) {
            Layer[] ls = networks[n].getLayers();
            for (int l = 0; l < counts[n]; l++) {
                FeedForwardLayer conf = (FeedForwardLayer) ls[l].conf().getLayer();
                boolean last = n == networks.length - 1 && l == counts[n] - 1;
                layers.layer(last ? output((int) conf.getNIn(), (int) conf.getNOut(), conf.getActivationFn())
                        : new DenseLayer.Builder().nIn(conf.getNIn()).nOut(conf.getNOut())
                                .activation(conf.getActivationFn()).build());
                total++;
            }
        }
        MultiLayerNetwork stacked = init(layers);
        int l = 0;
        for (int n = 0; n < networks.length; n++) {
            for (int i = 0; i < counts[n]; i++, l++) {
                Layer from = networks[n].getLayer(i);
                stacked.getLayer(l).setParam("W", from.getParam("W").dup());
                stacked.getLayer(l).setParam("b", from.getParam("b").dup());
            }
        }
        assert l == total;
        return stacked;
    }

    /** The encoder sizes, latent last: the autoencoder's defaults unless given, ending in {@code latentSize} if > 0. */
    public static int[] encoderSizes(int inputSize, int[] hiddenLayers, int latentSize) {
        int[] sizes = hiddenLayers.length == 0 ? DenseAutoencoderNetwork.defaultEncoder(inputSize) : hiddenLayers;
        if (latentSize <= 0) {
            return sizes.clone();
        }
        int[] withLatent = Arrays.copyOf(sizes, sizes.length + 1);
        withLatent[sizes.length] = latentSize;
        return withLatent;
    }

    private static NeuralNetConfiguration.ListBuilder builder(double stepSize, long seed) {
        return new NeuralNetConfiguration.Builder().seed(seed).weightInit(WeightInit.XAVIER)
                .updater(new Adam(stepSize)).list();
    }

    private static OutputLayer output(int in, int out, IActivation activation) {
        return new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nIn(in).nOut(out).activation(activation).build();
    }

    private static MultiLayerNetwork init(NeuralNetConfiguration.ListBuilder layers) {
        MultiLayerNetwork net = new MultiLayerNetwork(layers.build());
        net.init();
        return net;
    }
}
