package io.github.deepanomaly.nn;

import java.util.Arrays;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/** A symmetric dense autoencoder: input → encoder layers → mirrored decoder layers → linear reconstruction. */
public final class DenseAutoencoderNetwork {
    private DenseAutoencoderNetwork() {
    }

    /** The encoder sizes used when the user leaves {@code hiddenLayers} empty: halve, then halve again. */
    public static int[] defaultEncoder(int inputSize) {
        return new int[] {Math.max(2, inputSize / 2), Math.max(1, inputSize / 4)};
    }

    /** Encoder sizes followed by their mirror without the bottleneck repeated, e.g. [8, 4] → [8, 4, 8]. */
    static int[] symmetricLayers(int[] encoder) {
        int[] layers = Arrays.copyOf(encoder, encoder.length * 2 - 1);
        for (int i = 0; i < encoder.length - 1; i++) {
            layers[encoder.length + i] = encoder[encoder.length - 2 - i];
        }
        return layers;
    }

    public static MultiLayerNetwork build(int inputSize, int[] encoder, Activation activation, double stepSize,
            long seed) {
        int[] hidden = symmetricLayers(encoder.length == 0 ? defaultEncoder(inputSize) : encoder);
        NeuralNetConfiguration.ListBuilder layers = new NeuralNetConfiguration.Builder()
                .seed(seed)
                .weightInit(WeightInit.XAVIER)
                .updater(new Adam(stepSize))
                .list();
        int in = inputSize;
        for (int size : hidden) {
            layers.layer(new DenseLayer.Builder().nIn(in).nOut(size).activation(activation).build());
            in = size;
        }
        layers.layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE)
                .nIn(in).nOut(inputSize).activation(Activation.IDENTITY).build());
        MultiLayerConfiguration conf = layers.build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }
}
