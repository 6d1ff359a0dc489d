package io.github.deepanomaly.nn;

import io.github.deepanomaly.train.Minibatch;
import java.util.function.IntFunction;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.GradientNormalization;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.impl.LossMSE;

/**
 * DL4J's training step of a small dense network with an MSE output and Adam, in plain Java: the same
 * arithmetic as {@code MultiLayerNetwork.fit(DataSet)} (gradient of the mean over the minibatch of the
 * per-row mean squared error, Adam with DL4J's bias correction), on the network's own flattened
 * parameters and Adam state, read once and written back once per round. A DL4J call costs about a
 * millisecond whatever the network's size (measured in Spark tasks here), while a minibatch of 128 rows
 * through a network of a few hundred weights is some tens of microseconds of arithmetic: on tables with
 * few features that call was nearly all of the training time. Agrees with DL4J's step to float rounding
 * (tested for every activation). The arithmetic is {@link PlainDenseNetwork}'s; this class adds the MSE
 * loss against the input, the trim, the input noise and the iteration count.
 */
public final class DenseAdamStep {
    private final PlainDenseNetwork network;
    private final double trimFraction;
    private final boolean weightedTrim;
    private final InputNoise noise;
    private final double[] outputGradient;
    private int iteration;

    private DenseAdamStep(MultiLayerNetwork network, double trimFraction, boolean weightedTrim, InputNoise noise) {
        this.network = PlainDenseNetwork.of(network);
        this.trimFraction = trimFraction;
        this.weightedTrim = weightedTrim;
        this.noise = noise;
        this.outputGradient = new double[this.network.outputSize()];
        this.iteration = network.getIterationCount();
    }

    /**
     * Whether this step can train the network: dense layers with biases, activations it knows, one Adam for
     * all, an MSE output without its own activation; and small enough that plain Java beats a DL4J call.
     */
    public static boolean suits(MultiLayerNetwork network, long maxMultiplyAdds) {
        Layer[] ls = network.getLayers();
        long multiplyAdds = 0;
        Adam first = null;
        for (int l = 0; l < ls.length; l++) {
            if (!(ls[l].conf().getLayer() instanceof FeedForwardLayer conf) || !plainDense(ls[l], conf)
                    || !(conf.getIUpdater() instanceof Adam adam) || (first != null && !first.equals(adam))) {
                return false;
            }
            first = adam;
            multiplyAdds += conf.getNIn() * conf.getNOut();
        }
        return ls.length > 0 && ls[ls.length - 1].conf().getLayer() instanceof OutputLayer out
                && out.getLossFn() instanceof LossMSE && multiplyAdds <= maxMultiplyAdds
                && network.getUpdater(true).getStateViewArray().length() == 2 * network.numParams();
    }

    /** Weights and biases only, an activation this step knows, and nothing else that changes the gradient. */
    private static boolean plainDense(Layer layer, FeedForwardLayer conf) {
        if (layer.getParam("W") == null || layer.getParam("b") == null
                || layer.numParams() != conf.getNIn() * conf.getNOut() + conf.getNOut()
                || conf.getIDropout() != null || !(conf.getRegularization() == null || conf.getRegularization().isEmpty())
                || !(conf.getGradientNormalization() == null || conf.getGradientNormalization() == GradientNormalization.None)) {
            return false;
        }
        try {
            DenseActivation.of(conf.getActivationFn(), 0);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** The network's parameters, Adam state and iteration, ready to train. */
    public static DenseAdamStep of(MultiLayerNetwork network) {
        return new DenseAdamStep(network, 0, false, InputNoise.NONE);
    }

    /**
     * Like {@link #of(MultiLayerNetwork)}, leaving out of each minibatch's loss and gradient its
     * {@code trimFraction} of rows with the largest error ({@link TrimmedLoss}), and with {@code noise} added to
     * the input (the targets and the trim's errors stay against the clean input; held-out rows get their noise
     * at {@link InputNoise#HELD_OUT}).
     */
    public static DenseAdamStep of(MultiLayerNetwork network, double trimFraction, InputNoise noise) {
        return of(network, trimFraction, false, noise);
    }

    /** Like {@link #of(MultiLayerNetwork, double, InputNoise)}, the trim ranking rows by their weighted errors. */
    public static DenseAdamStep of(MultiLayerNetwork network, double trimFraction, boolean weightedTrim,
            InputNoise noise) {
        return new DenseAdamStep(network, trimFraction, weightedTrim, noise);
    }

    /** One Adam step on a minibatch whose targets are its inputs; returns the loss summed over its rows. */
    public double fit(Minibatch batch) {
        double loss = pass(batch, true);
        network.adamStep(iteration);
        iteration++;
        return loss;
    }

    /** The loss of a held-out minibatch (targets = inputs), summed over its rows. */
    public double loss(Minibatch batch) {
        return pass(batch, false);
    }

    /**
     * Every row forward with the noise added, its MSE against the clean row (sum
     * (a - x)^2 / n, which DL4J averages over the minibatch) summed over the rows the trim keeps, and with
     * {@code train} their gradient accumulated. Divided by all the minibatch's rows, as DL4J divides a masked
     * loss.
     */
    private double pass(Minibatch batch, boolean train) {
        int rows = batch.rows();
        int width = network.inputSize();
        int outSize = network.outputSize();
        float[] values = batch.values();
        float[] input = noise.addedTo(values, train ? iteration : InputNoise.HELD_OUT);
        boolean[] kept = null;
        if (trimFraction > 0) {
            IntFunction<float[]> reconstruct = from -> network.forward(input, from);
            kept = TrimmedLoss.kept(weightedTrim ? TrimmedLoss.weightedRowErrors(values, rows, width, reconstruct)
                    : TrimmedLoss.rowErrors(values, rows, width, reconstruct), trimFraction);
        }
        double lossSum = 0;
        for (int r = 0; r < rows; r++) {
            if (kept != null && !kept[r]) {
                continue;
            }
            float[] output = network.forward(input, r * width);
            for (int k = 0; k < outSize; k++) {
                double error = output[k] - values[r * width + k];
                lossSum += error * error / outSize;
                outputGradient[k] = 2 * error / outSize / rows;
            }
            if (train) {
                network.backward(outputGradient, true, null);
            }
        }
        return lossSum;
    }

    /** Writes parameters, Adam state and iteration count back into the network. */
    public void writeTo(MultiLayerNetwork network) {
        this.network.writeTo(network);
        network.setIterationCount(iteration);
    }
}
