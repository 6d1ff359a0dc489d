package io.github.deepanomaly.nn;

import io.github.deepanomaly.train.SingleNetworkStep;
import java.util.List;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The LSTM forecaster's local step. A minibatch row is one flattened window, time-major: the first
 * {@code windowSize} steps are the input, the next {@code horizon} steps the target. The step reshapes
 * it to DL4J's recurrent layout and fits one Adam step.
 */
public record LstmForecastStep(int numValues, int windowSize, int horizon, int hiddenSize, int numLayers,
        double stepSize, long seed) implements SingleNetworkStep {

    public int windowLength() {
        return windowSize + horizon;
    }

    @Override
    public List<MultiLayerNetwork> buildNetworks() {
        return List.of(LstmForecastNetwork.build(numValues, horizon, hiddenSize, numLayers, stepSize, seed));
    }

    @Override
    public DataSet dataSet(INDArray windows) {
        return new DataSet(inputs(windows), targets(windows));
    }

    /** The input steps of flattened windows [batch, (windowSize + horizon) · values] as [batch, values, time]. */
    public INDArray inputs(INDArray windows) {
        long batch = windows.size(0);
        return windows.get(NDArrayIndex.all(), NDArrayIndex.interval(0, windowSize * numValues))
                .dup('c').reshape('c', batch, windowSize, numValues).permute(0, 2, 1).dup('c');
    }

    /** The target steps of flattened windows: [batch, horizon · values], time-major. */
    public INDArray targets(INDArray windows) {
        return windows.get(NDArrayIndex.all(), NDArrayIndex.interval(windowSize * numValues,
                windowLength() * numValues)).dup('c');
    }

    /** Mean squared error of each window's forecast, the training loss per window. */
    public double[] errors(MultiLayerNetwork network, INDArray windows) {
        INDArray diff = network.output(inputs(windows)).sub(targets(windows));
        return diff.muli(diff).mean(1).toDoubleVector();
    }
}
