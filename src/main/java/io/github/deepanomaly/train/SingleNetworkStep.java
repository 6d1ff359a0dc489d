package io.github.deepanomaly.train;

import java.util.List;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

/**
 * The local step of a detector that trains one network with DL4J's own {@code fit}: what dl4j-spark's
 * trainer can run too ({@link Dl4jSparkEngine}), given the DataSet (input and target) of a minibatch.
 */
public interface SingleNetworkStep extends LocalStep {

    /** Input and target of one minibatch, as the network's loss expects them. */
    DataSet dataSet(INDArray input);

    @Override
    default double fit(List<MultiLayerNetwork> networks, INDArray input) {
        MultiLayerNetwork network = networks.get(0);
        network.fit(dataSet(input));
        return network.score() * input.size(0);
    }

    @Override
    default double loss(List<MultiLayerNetwork> networks, INDArray input) {
        return networks.get(0).score(dataSet(input), false) * input.size(0);
    }
}
