package io.github.deepanomaly.nn;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.conf.layers.misc.RepeatVector;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * An LSTM autoencoder over a window (an LSTM encoder–decoder, Malhotra et al. 2016, in the
 * LSTM → RepeatVector → LSTM → per-step dense form common in Keras): {@code numLayers} LSTM layers encode the window
 * [batch, values, time] into the last time step's state of {@code hiddenSize} units, the only path from
 * input to output, so the network must summarize the window's shape there rather than copy steps through;
 * that state is repeated {@code windowSize} times and decoded by as many LSTM layers into a linear output
 * per step, [batch, values, time], trained with MSE against the window itself.
 */
public final class LstmReconstructNetwork {
    private LstmReconstructNetwork() {
    }

    /** Whether the network is an LSTM autoencoder (its output is a sequence) rather than a forecaster. */
    public static boolean reconstructs(MultiLayerNetwork network) {
        return network.getOutputLayer().conf().getLayer() instanceof RnnOutputLayer;
    }

    public static MultiLayerNetwork build(int numValues, int windowSize, int hiddenSize, int numLayers,
            double stepSize, long seed) {
        NeuralNetConfiguration.ListBuilder layers = LstmForecastNetwork.encoder(numValues, hiddenSize, numLayers,
                stepSize, seed);
        // the formats said outright: left unset, the output layer takes the decoder's output for [batch, time, units]
        layers.layer(new RepeatVector.Builder().repetitionFactor(windowSize).dataFormat(RNNFormat.NCW).build());
        for (int i = 0; i < numLayers; i++) {
            layers.layer(new LSTM.Builder().nIn(hiddenSize).nOut(hiddenSize).activation(Activation.TANH).build());
        }
        layers.layer(new RnnOutputLayer.Builder(LossFunctions.LossFunction.MSE)
                .nIn(hiddenSize).nOut(numValues).activation(Activation.IDENTITY).dataFormat(RNNFormat.NCW).build());
        MultiLayerNetwork net = new MultiLayerNetwork(layers.build());
        net.init();
        return net;
    }
}
