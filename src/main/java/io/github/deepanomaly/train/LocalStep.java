package io.github.deepanomaly.train;

import java.io.Serializable;
import java.util.List;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * What a detector does on a worker in each averaging round: the only detector-specific part of
 * training. The engine builds the networks once per task slot and executor, loads the averaged
 * parameters and updater states into them every round, and calls {@link #fit} on the worker's next
 * minibatches. A step may do anything to its networks on one minibatch (one DL4J fit for an
 * autoencoder; several networks' updates for a GAN; per-example clipping and noise for private
 * training), as long as all it learns is in their parameters and updater states.
 */
public interface LocalStep extends Serializable {

    /** The detector's networks, initialized, always in the same order and of the same architecture. */
    List<MultiLayerNetwork> buildNetworks();

    /**
     * Trains the networks on one minibatch.
     *
     * @return the minibatch's training loss summed over its rows (mean loss × rows)
     */
    double fit(List<MultiLayerNetwork> networks, INDArray input);

    /** The loss of the networks on a held-out minibatch, summed over its rows, without training. */
    double loss(List<MultiLayerNetwork> networks, INDArray input);

    /**
     * A worker's share of one round: {@link #fit} on each minibatch in turn, by default. A step may take
     * the round whole instead, e.g. to read the networks' state once and write it back once.
     *
     * @return the training loss summed over all the minibatches' rows
     */
    default double fitAll(List<MultiLayerNetwork> networks, List<Minibatch> minibatches) {
        double loss = 0;
        for (Minibatch batch : minibatches) {
            loss += fit(networks, batch.input());
        }
        return loss;
    }

    /**
     * The name of a second training loss {@link #fitAllLosses} reports beside the first, which the engine logs
     * per epoch (e.g. a GAN's "discriminator loss"); null (default) when there is none.
     */
    default String secondLossName() {
        return null;
    }

    /**
     * What the engine calls for a worker's share of a round: {@link #fitAll}'s loss and the second loss, both
     * summed over the rows (the second is 0 without {@link #secondLossName}).
     */
    default double[] fitAllLosses(List<MultiLayerNetwork> networks, List<Minibatch> minibatches) {
        return new double[] {fitAll(networks, minibatches), 0};
    }

    /**
     * Told the mean losses of every epoch so far after each epoch, on the driver: throws an
     * IllegalStateException whose one line names the param to change when training is going wrong (the engine
     * itself stops on a loss that is not finite). Does nothing by default.
     */
    default void checkLosses(double[] losses, double[] secondLosses) {
    }

    /** The held-out loss of the networks over these minibatches, summed over their rows. */
    default double lossAll(List<MultiLayerNetwork> networks, List<Minibatch> minibatches) {
        double loss = 0;
        for (Minibatch batch : minibatches) {
            loss += loss(networks, batch.input());
        }
        return loss;
    }
}
