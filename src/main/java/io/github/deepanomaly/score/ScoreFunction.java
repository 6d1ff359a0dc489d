package io.github.deepanomaly.score;

import java.io.Serializable;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;

/** How a detector turns a batch of network input into one anomaly score per row (higher = more anomalous). */
@FunctionalInterface
public interface ScoreFunction extends Serializable {
    double[] scores(MultiLayerNetwork network, INDArray input);
}
