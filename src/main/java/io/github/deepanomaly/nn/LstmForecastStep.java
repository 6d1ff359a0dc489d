package io.github.deepanomaly.nn;

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
        double stepSize, long seed) implements LstmWindowStep {

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
        return LstmWindowStep.recurrent(windows, windowSize, numValues);
    }

    /** The target steps of flattened windows: [batch, horizon · values], time-major. */
    public INDArray targets(INDArray windows) {
        return windows.get(NDArrayIndex.all(), NDArrayIndex.interval(windowSize * numValues,
                windowLength() * numValues)).dup('c');
    }

    @Override
    public double[] errors(MultiLayerNetwork network, INDArray windows) {
        INDArray diff = network.output(inputs(windows)).sub(targets(windows));
        return diff.muli(diff).mean(1).toDoubleVector();
    }
}
