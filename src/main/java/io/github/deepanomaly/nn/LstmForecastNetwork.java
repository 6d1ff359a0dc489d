package io.github.deepanomaly.nn;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.recurrent.LastTimeStep;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * LSTM-DT's forecaster (Hundman et al. 2018): stacked LSTM layers read a window of {@code numValues}
 * values over time (DL4J's recurrent layout [batch, values, time]); the last time step's state goes
 * through a linear layer to the next {@code horizon} steps' values, time-major, trained with MSE.
 */
public final class LstmForecastNetwork {
    private LstmForecastNetwork() {
    }

    /** The value columns the network reads: the first LSTM's input size (under LastTimeStep when it is the only one). */
    public static int numValues(MultiLayerNetwork network) {
        org.deeplearning4j.nn.conf.layers.Layer first = network.getLayerWiseConfigurations().getConf(0).getLayer();
        if (first instanceof LastTimeStep wrapper) {
            first = wrapper.getUnderlying();
        }
        return (int) ((org.deeplearning4j.nn.conf.layers.FeedForwardLayer) first).getNIn();
    }

    public static MultiLayerNetwork build(int numValues, int horizon, int hiddenSize, int numLayers, double stepSize,
            long seed) {
        NeuralNetConfiguration.ListBuilder layers = encoder(numValues, hiddenSize, numLayers, stepSize, seed);
        layers.layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE)
                .nIn(hiddenSize).nOut(horizon * numValues).activation(Activation.IDENTITY).build());
        MultiLayerNetwork net = new MultiLayerNetwork(layers.build());
        net.init();
        return net;
    }

    /**
     * The layers both LSTM networks start with: {@code numLayers} LSTM layers of {@code hiddenSize} units, the
     * last one's final time step passed on (the window's summary), Xavier weights and Adam.
     */
    static NeuralNetConfiguration.ListBuilder encoder(int numValues, int hiddenSize, int numLayers, double stepSize,
            long seed) {
        NeuralNetConfiguration.ListBuilder layers = new NeuralNetConfiguration.Builder()
                .seed(seed)
                .weightInit(WeightInit.XAVIER)
                .updater(new Adam(stepSize))
                .list();
        int in = numValues;
        for (int i = 0; i < numLayers; i++) {
            LSTM lstm = new LSTM.Builder().nIn(in).nOut(hiddenSize).activation(Activation.TANH).build();
            layers.layer(i == numLayers - 1 ? new LastTimeStep(lstm) : lstm);
            in = hiddenSize;
        }
        return layers;
    }
}
