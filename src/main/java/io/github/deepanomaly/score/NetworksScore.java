package io.github.deepanomaly.score;

import io.github.deepanomaly.train.Minibatch;
import java.io.Serializable;
import java.util.List;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/**
 * How a detector scores a minibatch of network input with all its trained networks (higher = more
 * anomalous). Given the minibatch itself, so that a plain-Java pass reads its floats directly: going
 * through an ND4J array and back costs more than scoring a small network's rows.
 */
@FunctionalInterface
public interface NetworksScore extends Serializable {
    double[] scores(List<MultiLayerNetwork> networks, Minibatch batch);
}
