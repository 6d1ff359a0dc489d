package io.github.deepanomaly.nn;

import java.util.List;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

/**
 * The LSTM autoencoder's local step: a minibatch row is one flattened window of {@code windowSize} steps
 * (time-major), both the input and the target, in DL4J's recurrent layout; one Adam step.
 */
public record LstmReconstructStep(int numValues, int windowSize, int hiddenSize, int numLayers, double stepSize,
        long seed) implements LstmWindowStep {

    @Override
    public List<MultiLayerNetwork> buildNetworks() {
        return List.of(LstmReconstructNetwork.build(numValues, windowSize, hiddenSize, numLayers, stepSize, seed));
    }

    @Override
    public DataSet dataSet(INDArray windows) {
        INDArray steps = LstmWindowStep.recurrent(windows, windowSize, numValues);
        return new DataSet(steps, steps);
    }

    @Override
    public double[] errors(MultiLayerNetwork network, INDArray windows) {
        INDArray steps = LstmWindowStep.recurrent(windows, windowSize, numValues);
        INDArray diff = network.output(steps).sub(steps);
        return diff.muli(diff).reshape(diff.size(0), -1).mean(1).toDoubleVector();
    }
}
