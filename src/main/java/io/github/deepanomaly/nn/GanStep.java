package io.github.deepanomaly.nn;

import io.github.deepanomaly.train.LocalStep;
import io.github.deepanomaly.train.Minibatch;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The GAN detector's local step, per minibatch: {@code discriminatorSteps} updates of the discriminator
 * (real rows against their reconstructions G(E(x)) and against rows generated from random codes G(z)), then
 * one update of encoder and generator together: reconstruction error plus {@code adversarialWeight} times the
 * non-saturating adversarial loss of both kinds of generated rows (Goodfellow et al. 2014), the discriminator's
 * gradient flowing through it into generator and encoder. All in plain Java ({@link PlainDenseNetwork}) on the
 * networks' own parameters and Adam states, read once and written back once per round.
 *
 * <p>With {@code trimFraction} > 0 the rows of each minibatch that E and G now reconstruct worst ({@link TrimmedLoss})
 * are left out of the reconstruction error and of the adversarial loss of their reconstructions, as the
 * autoencoder's trimmed loss does: the training rows contain the anomalies, and a generator that learns to
 * reproduce them no longer tells them apart. The discriminator does not see them either (as real rows or as
 * reconstructions): measured, that helps (README, "GanDetector").
 *
 * <p>Deterministic: random codes come from a generator seeded by {@code seed}, the round's iteration and the
 * minibatch's contents.
 *
 * @param encoder            encoder layer sizes, latent code last
 * @param stepSize           Adam learning rate of encoder and generator
 * @param discriminatorStepSize Adam learning rate of the discriminator
 * @param labelSmoothing     the discriminator's target for real rows is 1 - labelSmoothing (Salimans et al. 2016)
 */
public record GanStep(int inputSize, int[] encoder, String activation, double stepSize,
        double discriminatorStepSize, int discriminatorSteps, double adversarialWeight, double labelSmoothing,
        double trimFraction, long seed) implements LocalStep {

    /** The second loss the engine logs: the discriminator's mean binary cross-entropy over its three kinds of rows. */
    public static final String DISCRIMINATOR_LOSS = "discriminator loss";
    /**
     * A discriminator loss within this of its floor means it tells generated rows from real ones almost perfectly.
     * The floor is not 0 with label smoothing: the real rows' target 1 - s costs at least its entropy.
     */
    static final double COLLAPSED_DISCRIMINATOR_LOSS = 0.01;
    /** Epochs in a row with a collapsed discriminator loss before training stops. */
    static final int COLLAPSED_EPOCHS = 3;

    @Override
    public List<MultiLayerNetwork> buildNetworks() {
        var fn = Activations.byName(activation);
        return List.of(GanNetworks.encoder(inputSize, encoder, fn, stepSize, seed),
                GanNetworks.generator(inputSize, encoder, fn, stepSize, seed),
                GanNetworks.discriminator(inputSize, encoder, discriminatorStepSize, seed));
    }

    @Override
    public String secondLossName() {
        return DISCRIMINATOR_LOSS;
    }

    @Override
    public double fit(List<MultiLayerNetwork> networks, INDArray input) {
        return fitAll(networks, List.of(new Minibatch(input.dup('c').data().asFloat(), input.shape(), false)));
    }

    @Override
    public double loss(List<MultiLayerNetwork> networks, INDArray input) {
        return lossAll(networks, List.of(new Minibatch(input.dup('c').data().asFloat(), input.shape(), false)));
    }

    @Override
    public double fitAll(List<MultiLayerNetwork> networks, List<Minibatch> minibatches) {
        return fitAllLosses(networks, minibatches)[0];
    }

    @Override
    public double[] fitAllLosses(List<MultiLayerNetwork> networks, List<Minibatch> minibatches) {
        Round round = new Round(networks);
        double reconstruction = 0;
        double discriminator = 0;
        long iteration = networks.get(0).getIterationCount();
        for (Minibatch batch : minibatches) {
            SplittableRandom random = MinibatchRandom.of(seed, iteration, batch.values());
            // E and G stay fixed during the discriminator's steps: one reconstruction serves them and the trim
            boolean[] kept = round.reconstruct(batch);
            for (int s = 0; s < discriminatorSteps; s++) {
                double loss = round.discriminatorStep(batch, kept, random);
                round.d.adamStep(iteration * discriminatorSteps + s);
                if (s == discriminatorSteps - 1) {
                    discriminator += loss;
                }
            }
            reconstruction += round.generatorStep(batch, kept, random);
            round.e.adamStep(iteration);
            round.g.adamStep(iteration);
            iteration++;
        }
        round.writeTo(networks, (int) iteration);
        return new double[] {reconstruction, discriminator};
    }

    /**
     * The held-out reconstruction error (mean squared error per row, summed over the rows the trim keeps, as in
     * training): what early stopping watches.
     */
    @Override
    public double lossAll(List<MultiLayerNetwork> networks, List<Minibatch> minibatches) {
        PlainDenseNetwork e = PlainDenseNetwork.of(networks.get(GanNetworks.ENCODER));
        PlainDenseNetwork g = PlainDenseNetwork.of(networks.get(GanNetworks.GENERATOR));
        double loss = 0;
        for (Minibatch batch : minibatches) {
            double[] errors = rowErrors(e, g, batch.values(), batch.rows(), null);
            boolean[] kept = trimFraction > 0 ? TrimmedLoss.kept(errors, trimFraction) : null;
            for (int r = 0; r < errors.length; r++) {
                if (kept == null || kept[r]) {
                    loss += errors[r] / inputSize;
                }
            }
        }
        return loss;
    }

    /**
     * Each row's squared reconstruction error summed over the features; with {@code reconstructions} not null,
     * the reconstructions G(E(x)) go there, row after row.
     */
    private double[] rowErrors(PlainDenseNetwork e, PlainDenseNetwork g, float[] x, int rows, float[] reconstructions) {
        return TrimmedLoss.rowErrors(x, rows, inputSize, from -> {
            float[] xHat = g.forward(e.forward(x, from), 0);
            if (reconstructions != null) {
                System.arraycopy(xHat, 0, reconstructions, from, inputSize);
            }
            return xHat;
        });
    }

    @Override
    public void checkLosses(double[] losses, double[] secondLosses) {
        int epoch = secondLosses.length;
        double last = secondLosses[epoch - 1];
        if (!Double.isFinite(last)) {
            throw new IllegalStateException(String.format(Locale.ROOT, "gan training diverged: the discriminator loss"
                    + " of epoch %d is %s; lower discriminatorStepSize", epoch, last));
        }
        if (adversarialWeight > 0 && epoch >= COLLAPSED_EPOCHS) {
            double floor = discriminatorLossFloor();
            for (int i = epoch - COLLAPSED_EPOCHS; i < epoch; i++) {
                if (secondLosses[i] >= floor + COLLAPSED_DISCRIMINATOR_LOSS) {
                    return;
                }
            }
            throw new IllegalStateException(String.format(Locale.ROOT, "gan training collapsed: the discriminator loss"
                    + " stayed within %s of its least (%.3g) for %d epochs (%.3g in epoch %d), so the generator learns"
                    + " nothing from it; lower discriminatorStepSize (or discriminatorSteps)",
                    COLLAPSED_DISCRIMINATOR_LOSS, floor, COLLAPSED_EPOCHS, last, epoch));
        }
    }

    /**
     * The least discriminator loss there is: real rows scored exactly 1 - labelSmoothing, generated ones 0;
     * a third of the loss is the real rows' (one term of three).
     */
    double discriminatorLossFloor() {
        double p = 1 - labelSmoothing;
        return p >= 1 ? 0 : -(p * Math.log(p) + (1 - p) * Math.log(1 - p)) / 3;
    }

    /** A round's three plain-Java networks and the work arrays of one row. */
    private final class Round {
        final PlainDenseNetwork e;
        final PlainDenseNetwork g;
        final PlainDenseNetwork d;
        final float[] code;
        final float[] fake;
        final float[] generated;
        final double[] one = new double[1];
        final double[] gradientX;
        final double[] gradientAdversarial;
        final double[] gradientCode;
        /** The minibatch's reconstructions G(E(x)), row after row, from {@link #reconstruct}. */
        float[] reconstructions = new float[0];

        Round(List<MultiLayerNetwork> networks) {
            e = PlainDenseNetwork.of(networks.get(GanNetworks.ENCODER));
            g = PlainDenseNetwork.of(networks.get(GanNetworks.GENERATOR));
            d = PlainDenseNetwork.of(networks.get(GanNetworks.DISCRIMINATOR));
            code = new float[e.outputSize()];
            fake = new float[inputSize];
            generated = new float[inputSize];
            gradientX = new double[inputSize];
            gradientAdversarial = new double[inputSize];
            gradientCode = new double[e.outputSize()];
        }

        /** Reconstructs the minibatch's rows; returns the rows the trim keeps, or null when it keeps all. */
        boolean[] reconstruct(Minibatch batch) {
            int size = batch.rows() * inputSize;
            if (reconstructions.length < size) {
                reconstructions = new float[size];
            }
            double[] errors = rowErrors(e, g, batch.values(), batch.rows(), reconstructions);
            return trimFraction > 0 ? TrimmedLoss.kept(errors, trimFraction) : null;
        }

        /**
         * Accumulates the discriminator's gradient over the minibatch's rows ({@code kept} ones only, if not null:
         * each with its reconstruction and one generated row); returns its loss summed over the rows, scaled to
         * all of them when some are left out (the collapse check compares it with its least possible value).
         */
        double discriminatorStep(Minibatch batch, boolean[] kept, SplittableRandom random) {
            int rows = batch.rows();
            float[] x = batch.values();
            int used = 0;
            for (int r = 0; r < rows; r++) {
                used += kept == null || kept[r] ? 1 : 0;
            }
            double perTerm = 1.0 / (3.0 * used);
            double loss = 0;
            for (int r = 0; r < rows; r++) {
                if (kept != null && !kept[r]) {
                    continue;
                }
                randomCode(random);
                System.arraycopy(g.forward(code, 0), 0, generated, 0, inputSize);
                loss += discriminate(x, r * inputSize, 1 - labelSmoothing, perTerm);
                loss += discriminate(reconstructions, r * inputSize, 0, perTerm);
                loss += discriminate(generated, 0, 0, perTerm);
            }
            return loss / 3 * rows / used;
        }

        /** The discriminator's cross-entropy on one row against {@code target}, its gradient accumulated. */
        private double discriminate(float[] row, int from, double target, double weight) {
            double logit = d.forward(row, from)[0];
            one[0] = (sigmoid(logit) - target) * weight;
            d.backward(one, true, null);
            return crossEntropy(logit, target);
        }

        /**
         * Accumulates encoder's and generator's gradients over the minibatch, the reconstruction terms of the
         * {@code kept} rows only if not null (divided by all rows, as DL4J divides a masked loss); returns the
         * reconstruction error summed over those rows.
         */
        double generatorStep(Minibatch batch, boolean[] kept, SplittableRandom random) {
            int rows = batch.rows();
            float[] x = batch.values();
            double loss = 0;
            for (int r = 0; r < rows; r++) {
                int from = r * inputSize;
                if (kept != null && !kept[r]) {
                    generatedStep(random, rows);
                    continue;
                }
                System.arraycopy(e.forward(x, from), 0, code, 0, code.length);
                float[] xHat = g.forward(code, 0);
                for (int j = 0; j < inputSize; j++) {
                    double error = xHat[j] - x[from + j];
                    loss += error * error / inputSize;
                    gradientX[j] = 2 * error / inputSize / rows;
                }
                if (adversarialWeight > 0) {
                    System.arraycopy(xHat, 0, fake, 0, inputSize);
                    foolingGradient(fake, rows);
                    for (int j = 0; j < inputSize; j++) {
                        gradientX[j] += gradientAdversarial[j];
                    }
                }
                g.backward(gradientX, true, gradientCode);
                e.backward(gradientCode, true, null);
                generatedStep(random, rows);
            }
            return loss;
        }

        /** The adversarial loss of one row G generates from a random code, its gradient accumulated into G. */
        private void generatedStep(SplittableRandom random, int rows) {
            if (adversarialWeight > 0) {
                randomCode(random);
                System.arraycopy(g.forward(code, 0), 0, generated, 0, inputSize);
                foolingGradient(generated, rows);
                g.backward(gradientAdversarial, true, null);
            }
        }

        /** dLoss/dRow of the non-saturating generator loss -log D(row), weighted, into gradientAdversarial. */
        private void foolingGradient(float[] row, int rows) {
            double logit = d.forward(row, 0)[0];
            one[0] = (sigmoid(logit) - 1) * adversarialWeight / (2.0 * rows);
            d.backward(one, false, gradientAdversarial);
        }

        /** A code drawn uniformly from the latent space's range, [-1, 1] (the bounded hidden activations). */
        private void randomCode(SplittableRandom random) {
            for (int k = 0; k < code.length; k++) {
                code[k] = (float) (2 * random.nextDouble() - 1);
            }
        }

        void writeTo(List<MultiLayerNetwork> networks, int iteration) {
            e.writeTo(networks.get(GanNetworks.ENCODER));
            g.writeTo(networks.get(GanNetworks.GENERATOR));
            d.writeTo(networks.get(GanNetworks.DISCRIMINATOR));
            for (MultiLayerNetwork network : networks) {
                network.setIterationCount(iteration);
            }
        }
    }

    static double sigmoid(double x) {
        return 1 / (1 + Math.exp(-x));
    }

    /** Binary cross-entropy of a logit against a target, computed stably: softplus(s) - target·s. */
    static double crossEntropy(double logit, double target) {
        double softplus = logit > 0 ? logit + Math.log1p(Math.exp(-logit)) : Math.log1p(Math.exp(logit));
        return softplus - target * logit;
    }
}
