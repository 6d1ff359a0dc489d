package io.github.deepanomaly.score;

import java.io.Serializable;
import java.util.Arrays;
import java.util.List;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

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

    /**
     * Whether a model of these networks scores row by row in plain Java ({@link RowScorer#suits}) rather than in
     * batches, for all of them alike: decided by the first network in all its passes, the costliest. DL4J's batches
     * absorb more passes better than the row-by-row pass does (`benchmark --suite paths`, 10^5 rows, the pair: at 60
     * features row by row scored 1.19× the batched rows/s with one pass, 0.66× with three; at 40, 1.86× and 1.11×).
     */
    public boolean rowwise(List<MultiLayerNetwork> networks) {
        return RowScorer.suits(DenseForwardPass.of(networks.get(0)).repeated(perNetwork[0]));
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
