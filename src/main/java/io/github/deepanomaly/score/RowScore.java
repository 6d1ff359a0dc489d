package io.github.deepanomaly.score;

import java.io.Serializable;
import java.util.List;

/**
 * A detector's score of one standardized row in plain Java, with each feature's contribution: what
 * {@link RowScorer} runs inside a Spark expression. The autoencoder's is the reconstruction error of a
 * {@link DenseForwardPass}; the GAN's adds its discriminator's features.
 */
public interface RowScore extends Serializable {

    /** Features per row. */
    int inputSize();

    /** The row's score (higher = more anomalous). */
    double score(float[] input);

    /** The row's score and each feature's contribution to it, from one pass. */
    Explained explain(float[] input);

    /** @param contributions one per feature, for {@link FeatureExplanation} */
    record Explained(double score, float[] contributions) {
    }

    /**
     * Mean squared difference between a row and the network's output for it, per feature its squared error,
     * each counted as {@code weights} say ({@link ErrorScales}).
     */
    static RowScore reconstruction(DenseForwardPass pass, ErrorWeights weights) {
        return new Reconstruction(pass, weights);
    }

    /** The autoencoder's score: its (weighted) reconstruction error. */
    record Reconstruction(DenseForwardPass pass, ErrorWeights weights) implements RowScore {
        @Override
        public int inputSize() {
            return pass.inputSize();
        }

        @Override
        public double score(float[] input) {
            return ReconstructionError.score(input, pass.output(input), weights);
        }

        @Override
        public Explained explain(float[] input) {
            float[] output = pass.output(input);
            return new Explained(ReconstructionError.score(input, output, weights),
                    ReconstructionError.squaredErrors(input, output, weights));
        }
    }

    /** The mean of several scores of the same row, each feature's contribution the mean of its contributions. */
    record Mean(List<RowScore> parts) implements RowScore {
        public Mean {
            parts = List.copyOf(parts);
        }

        @Override
        public int inputSize() {
            return parts.get(0).inputSize();
        }

        @Override
        public double score(float[] input) {
            double sum = 0;
            for (RowScore part : parts) {
                sum += part.score(input);
            }
            return sum / parts.size();
        }

        @Override
        public Explained explain(float[] input) {
            double sum = 0;
            float[] contributions = new float[inputSize()];
            for (RowScore part : parts) {
                Explained explained = part.explain(input);
                sum += explained.score();
                for (int j = 0; j < contributions.length; j++) {
                    contributions[j] += explained.contributions()[j] / parts.size();
                }
            }
            return new Explained(sum / parts.size(), contributions);
        }
    }
}
