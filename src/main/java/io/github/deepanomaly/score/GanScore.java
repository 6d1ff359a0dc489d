package io.github.deepanomaly.score;

/**
 * The GAN detector's score of a row x, from its reconstruction x̂ = G(E(x)): the reconstruction error
 * (mean squared difference, the "generate its counterpart and compare" of the design), the discriminator
 * score (mean squared difference between the discriminator's last hidden features of x and of x̂, as
 * feature matching in Zenati et al. 2018 and Akçay et al. 2018), or {@code (1 - weight)} times the first plus
 * {@code weight} times the second. Explained by each feature's squared reconstruction error scaled to sum
 * to the score: the discriminator's features are not input features, so the reconstruction says where.
 *
 * @param reconstruction x → x̂, the encoder's and generator's layers in one pass
 * @param features       x → the discriminator's last hidden features; null when the score does not use them
 * @param weight         the discriminator score's share: 0 = reconstruction only, 1 = discriminator only
 */
public record GanScore(DenseForwardPass reconstruction, DenseForwardPass features, double weight) implements RowScore {

    public GanScore {
        if (weight > 0 && features == null) {
            throw new IllegalArgumentException("a score with a discriminator share needs the discriminator's features");
        }
    }

    @Override
    public int inputSize() {
        return reconstruction.inputSize();
    }

    @Override
    public double score(float[] input) {
        float[] output = reconstruction.output(input);
        return combine(ReconstructionError.score(input, output), input, output);
    }

    @Override
    public Explained explain(float[] input) {
        float[] output = reconstruction.output(input);
        float[] squared = ReconstructionError.squaredErrors(input, output);
        double error = ReconstructionError.score(input, output);
        double score = combine(error, input, output);
        if (error > 0 && score != error) {
            float scale = (float) (score / error);
            for (int j = 0; j < squared.length; j++) {
                squared[j] *= scale;
            }
        }
        return new Explained(score, squared);
    }

    /** Multiply-adds per row, what decides between row-by-row and batched scoring. */
    public long multiplyAddsPerRow() {
        return reconstruction.multiplyAddsPerRow() + (weight > 0 ? 2 * features.multiplyAddsPerRow() : 0);
    }

    private double combine(double reconstructionError, float[] input, float[] output) {
        if (weight == 0) {
            return reconstructionError;
        }
        double featureDistance = ReconstructionError.score(features.output(input), features.output(output));
        return (1 - weight) * reconstructionError + weight * featureDistance;
    }
}
