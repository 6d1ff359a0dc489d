package io.github.deepanomaly.nn;

import java.io.Serializable;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Gaussian noise added to a minibatch's (standardized) input before the network sees it, while the target
 * stays the clean input: a denoising autoencoder. Its reconstruction learns to pull a row back towards where
 * the training rows are dense (Alain and Bengio 2014: the reconstruction's offset estimates the gradient of
 * the log-density), so a row far out along a direction the normal rows vary in is reconstructed towards them
 * and scores high, where a plain autoencoder reconstructs it as it is. Measured: README, "Quality".
 *
 * @param stddev the noise's standard deviation in standardized units; 0 adds none
 * @param seed   with the iteration and the minibatch's contents, seeds each minibatch's noise ({@link MinibatchRandom})
 */
public record InputNoise(double stddev, long seed) implements Serializable {

    public static final InputNoise NONE = new InputNoise(0, 0);
    /**
     * The iteration held-out rows draw their noise at, whatever the epoch: their loss is the denoising loss
     * the network trains on, and each epoch's is measured on the same noisy rows, so that early stopping
     * compares like with like.
     */
    public static final long HELD_OUT = -1;

    public boolean adds() {
        return stddev > 0;
    }

    /** The values with noise added: a new array, or {@code values} itself when no noise is added. */
    public float[] addedTo(float[] values, long iteration) {
        if (!adds()) {
            return values;
        }
        SplittableRandom random = MinibatchRandom.of(seed, iteration, values);
        float[] noisy = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            noisy[i] = (float) (values[i] + stddev * random.nextGaussian());
        }
        return noisy;
    }

    /** As {@link #addedTo(float[], long)}, for the DL4J step's input: a new array in 'c' order, or {@code input}. */
    public INDArray addedTo(INDArray input, long iteration) {
        if (!adds()) {
            return input;
        }
        return Nd4j.create(addedTo(input.dup('c').data().asFloat(), iteration), input.shape(), 'c');
    }
}
