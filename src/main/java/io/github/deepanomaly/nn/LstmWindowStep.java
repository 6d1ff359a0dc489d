package io.github.deepanomaly.nn;

import io.github.deepanomaly.train.SingleNetworkStep;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The local step of an LSTM that learns from flattened series windows (time-major, each step's values
 * together, the shape {@code SeriesWindows} cuts): the forecaster ({@link LstmForecastStep}) or the
 * autoencoder ({@link LstmReconstructStep}).
 */
public interface LstmWindowStep extends SingleNetworkStep {

    /** Mean squared error of each window's target, the training loss per window. */
    double[] errors(MultiLayerNetwork network, INDArray windows);

    /**
     * The first {@code windowSize} steps of flattened windows [batch, ≥ windowSize · values] in DL4J's
     * recurrent layout [batch, values, time].
     */
    static INDArray recurrent(INDArray windows, int windowSize, int numValues) {
        long batch = windows.size(0);
        return windows.get(NDArrayIndex.all(), NDArrayIndex.interval(0, windowSize * numValues))
                .dup('c').reshape('c', batch, windowSize, numValues).permute(0, 2, 1).dup('c');
    }
}
