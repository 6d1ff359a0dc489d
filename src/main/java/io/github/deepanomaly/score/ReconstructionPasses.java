package io.github.deepanomaly.score;

import java.io.Serializable;
import java.util.Arrays;

/**
 * How many times each of the autoencoder's networks is applied to a row to reconstruct it: the denoising network
 * {@code denoisingPasses} times, its output fed back as its input, every other network once. A denoising network's
 * reconstruction moves a row a step up the training rows' smoothed density (its offset estimates σ² times the
 * gradient of the log-density); repeated, the steps carry a row towards the dense region it belongs to, so a row
 * the first step moves a little but that lies far from any dense region (a small cluster of anomalies the trim kept
 * out of training, an extreme row along a direction the normal rows vary in) travels further and scores higher.
 * Kept in the model: its error scales were measured on these reconstructions.
 *
 * @param perNetwork one per network, in the model's order, each >= 1
 */
public record ReconstructionPasses(int[] perNetwork) implements Serializable {
    public ReconstructionPasses {
        perNetwork = perNetwork.clone();
        for (int passes : perNetwork) {
            if (passes < 1) {
                throw new IllegalArgumentException("a network is applied at least once to reconstruct a row, got "
                        + passes + " passes");
            }
        }
    }

    /** Every one of {@code networks} networks applied once (the models saved before the passes were kept). */
    public static ReconstructionPasses once(int networks) {
        int[] ones = new int[networks];
        Arrays.fill(ones, 1);
        return new ReconstructionPasses(ones);
    }

    /** The first network applied {@code first} times, the other {@code networks - 1} once. */
    public static ReconstructionPasses firstTimes(int first, int networks) {
        int[] passes = once(networks).perNetwork;
        passes[0] = first;
        return new ReconstructionPasses(passes);
    }

    @Override
    public int[] perNetwork() {
        return perNetwork.clone();
    }

    /** The passes of network {@code k}. */
    public int of(int k) {
        return perNetwork[k];
    }

    public int networks() {
        return perNetwork.length;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ReconstructionPasses that && Arrays.equals(perNetwork, that.perNetwork);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(perNetwork);
    }

    @Override
    public String toString() {
        return "ReconstructionPasses" + Arrays.toString(perNetwork);
    }
}
