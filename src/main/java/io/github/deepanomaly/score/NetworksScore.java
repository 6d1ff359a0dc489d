package io.github.deepanomaly.score;

import java.io.Serializable;
import java.util.List;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;

/** How a detector scores a batch of network input with all its trained networks (higher = more anomalous). */
@FunctionalInterface
public interface NetworksScore extends Serializable {
    double[] scores(List<MultiLayerNetwork> networks, INDArray input);
}
