package io.github.deepanomaly.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.deepanomaly.train.Minibatch;
import java.util.Random;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.dataset.DataSet;

/** The plain-Java step against DL4J's own fit, on the same network, minibatches and Adam state. */
class DenseAdamStepTest {

    /** The parameters agree with DL4J's to float rounding (relative 1e-4). */
    static void assertSameParams(MultiLayerNetwork dl4j, MultiLayerNetwork ours) {
        float[] expected = dl4j.params().toFloatVector();
        float[] actual = ours.params().toFloatVector();
        for (int j = 0; j < expected.length; j++) {
            assertEquals(expected[j], actual[j], 1e-4f * Math.max(1, Math.abs(expected[j])), "parameter " + j);
        }
    }

    /** Parameters and Adam state agree with DL4J's to float rounding. */
    static void assertTrainedAlike(MultiLayerNetwork dl4j, MultiLayerNetwork ours) {
        assertSameParams(dl4j, ours);
        float[] expectedState = dl4j.getUpdater().getStateViewArray().toFloatVector();
        float[] actualState = ours.getUpdater().getStateViewArray().toFloatVector();
        for (int j = 0; j < expectedState.length; j++) {
            assertEquals(expectedState[j], actualState[j], 1e-4f * Math.max(1e-3f, Math.abs(expectedState[j])),
                    "Adam state " + j);
        }
    }

    static Minibatch batch(Random random, int rows, int width) {
        float[] values = new float[rows * width];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) random.nextGaussian();
        }
        return new Minibatch(values, new long[] {rows, width}, false);
    }

    @ParameterizedTest
    @ValueSource(strings = {"tanh", "relu", "leakyrelu", "elu", "selu", "sigmoid"})
    void trainsAsDl4jDoes(String activation) {
        MultiLayerNetwork ours = DenseAutoencoderNetwork.build(7, new int[] {5, 3}, Activations.byName(activation),
                1e-2, 3);
        MultiLayerNetwork dl4j = ours.clone();
        assertTrue(DenseAdamStep.suits(ours, 2_000));
        Random random = new Random(5);
        DenseAdamStep step = DenseAdamStep.of(ours);
        double ourLoss = 0;
        double dl4jLoss = 0;
        for (int i = 0; i < 12; i++) {
            Minibatch batch = batch(random, i == 11 ? 17 : 64, 7);
            ourLoss = step.fit(batch) / batch.rows();
            dl4j.fit(new DataSet(batch.input(), batch.input()));
            dl4jLoss = dl4j.score();
        }
        step.writeTo(ours);
        assertEquals(dl4jLoss, ourLoss, 1e-5 * Math.max(1, dl4jLoss), "the last minibatch's loss");
        assertEquals(dl4j.getIterationCount(), ours.getIterationCount());
        assertTrainedAlike(dl4j, ours);
    }

    @Test
    void heldOutLossIsDl4jsScore() {
        MultiLayerNetwork network = DenseAutoencoderNetwork.build(4, new int[0], Activations.byName("tanh"), 1e-2, 3);
        Minibatch batch = batch(new Random(1), 50, 4);
        assertEquals(network.score(new DataSet(batch.input(), batch.input()), false) * 50,
                DenseAdamStep.of(network).loss(batch), 1e-4);
    }

    @Test
    void largeNetworksAreLeftToDl4j() {
        assertFalse(DenseAdamStep.suits(DenseAutoencoderNetwork.build(80, new int[0], Activations.byName("tanh"),
                1e-2, 3), 2_000));
    }

    /**
     * Ten minibatches through the trimmed step with this input noise on both paths, the plain-Java one and
     * DL4J's fit with the label mask the step builds, from the same network: they draw the same noise (seeded
     * by the minibatch and the iteration) and must train alike. Returns {plain Java's, DL4J's}.
     */
    private static MultiLayerNetwork[] trainedOnBothPaths(double noise) {
        return trainedOnBothPaths(noise, false);
    }

    private static MultiLayerNetwork[] trainedOnBothPaths(double noise, boolean weightedTrim) {
        MultiLayerNetwork ours = DenseAutoencoderNetwork.build(6, new int[] {4, 2}, Activations.byName("tanh"), 1e-2, 3);
        MultiLayerNetwork dl4j = ours.clone();
        AutoencoderStep dl4jPath = new AutoencoderStep(6, new int[] {4, 2}, "tanh", 1e-2, 3, 0.25, noise, false,
                weightedTrim);
        DenseAdamStep step = DenseAdamStep.of(ours, 0.25, weightedTrim, new InputNoise(noise, 3));
        Random random = new Random(9);
        double ourLoss = 0;
        double dl4jLoss = 0;
        for (int i = 0; i < 10; i++) {
            Minibatch batch = batch(random, i == 9 ? 13 : 40, 6);
            ourLoss = step.fit(batch);
            dl4jLoss = dl4jPath.fit(java.util.List.of(dl4j), batch.input());
        }
        step.writeTo(ours);
        assertEquals(dl4jLoss, ourLoss, 1e-4 * Math.max(1, dl4jLoss), "the last minibatch's trimmed loss");
        assertSameParams(dl4j, ours);
        return new MultiLayerNetwork[] {ours, dl4j};
    }

    @ParameterizedTest
    @ValueSource(doubles = {0, 1.0})
    void trimsAndAddsNoiseAsTheDl4jPathDoes(double noise) {
        trainedOnBothPaths(noise);
    }

    /** The weighted trim keeps other rows than the plain one, and both paths keep the same ones. */
    @ParameterizedTest
    @ValueSource(doubles = {0, 1.0})
    void weighsTheTrimAsTheDl4jPathDoes(double noise) {
        float[] weighted = trainedOnBothPaths(noise, true)[0].params().toFloatVector();
        float[] plain = trainedOnBothPaths(noise, false)[0].params().toFloatVector();
        double differs = 0;
        for (int j = 0; j < weighted.length; j++) {
            differs = Math.max(differs, Math.abs(weighted[j] - plain[j]));
        }
        assertTrue(differs > 1e-4, "the weighting changes which rows are trained on: largest difference " + differs);
    }

    /**
     * Feature 0 is reconstructed closely for every row but the third, feature 1 poorly for every row and worst for the
     * second: summed, the second row is the worst; weighted by each feature's median, the third, whose error is
     * unusual for its feature, as the score would rank them.
     */
    @Test
    void theWeightedRankingCountsAnErrorByHowUnusualItIsForItsFeature() {
        float[] values = new float[8 * 2];
        float[][] reconstructions = new float[8][];
        for (int r = 0; r < 8; r++) {
            reconstructions[r] = new float[] {0.05f, 2f};
        }
        reconstructions[1] = new float[] {0.05f, 3f};
        reconstructions[2] = new float[] {1.5f, 2f};
        double[] plain = TrimmedLoss.rowErrors(values, 8, 2, from -> reconstructions[from / 2]);
        double[] weighted = TrimmedLoss.weightedRowErrors(values, 8, 2, from -> reconstructions[from / 2]);
        assertArrayEquals(new boolean[] {true, false, true, true, true, true, true, true}, TrimmedLoss.kept(plain, 0.125));
        assertArrayEquals(new boolean[] {true, true, false, true, true, true, true, true},
                TrimmedLoss.kept(weighted, 0.125));
        // feature 0's median (0.0025) is below the floor, 0.3 of the mean median (2.00125): its weight is bounded
        double mean = (0.0025 + 4) / 2;
        double weight0 = 1 / (TrimmedLoss.WEIGHT_FLOOR * mean) + 1 / mean;
        double weight1 = 1 / 4.0 + 1 / mean;
        assertEquals(2.25 * weight0 + 4 * weight1, weighted[2], 1e-9);
    }

    /** The noise changes the training; the held-out loss is the denoising loss, the same on both paths and epochs. */
    @Test
    void theNoiseChangesTrainingAndTheHeldOutLoss() {
        MultiLayerNetwork[] noisy = trainedOnBothPaths(1.0);
        float[] withNoise = noisy[0].params().toFloatVector();
        float[] without = trainedOnBothPaths(0)[0].params().toFloatVector();
        double differs = 0;
        for (int j = 0; j < withNoise.length; j++) {
            differs = Math.max(differs, Math.abs(withNoise[j] - without[j]));
        }
        assertTrue(differs > 1e-3, "the noise changes the training: largest difference " + differs);
        Minibatch heldOut = batch(new Random(4), 30, 6);
        InputNoise noise = new InputNoise(1.0, 3);
        double ourHeldOut = DenseAdamStep.of(noisy[0], 0.25, noise).loss(heldOut);
        AutoencoderStep dl4jPath = new AutoencoderStep(6, new int[] {4, 2}, "tanh", 1e-2, 3, 0.25, 1.0);
        assertEquals(dl4jPath.loss(java.util.List.of(noisy[1]), heldOut.input()), ourHeldOut,
                1e-4 * Math.max(1, ourHeldOut), "the held-out loss: the same noise on both paths");
        assertEquals(ourHeldOut, dl4jPath.lossAll(java.util.List.of(noisy[0]), java.util.List.of(heldOut)), 0,
                "what the engine calls for the held-out loss");
        MultiLayerNetwork later = noisy[0].clone();
        later.setIterationCount(noisy[0].getIterationCount() + 100);
        assertEquals(ourHeldOut, DenseAdamStep.of(later, 0.25, noise).loss(heldOut), 0,
                "the held-out rows' noise does not change with the iteration");
        assertTrue(ourHeldOut > DenseAdamStep.of(noisy[0], 0.25, InputNoise.NONE).loss(heldOut), "the held-out loss is the denoising loss");
    }

    /** A row the trim leaves out moves nothing: the step is the step of the minibatch without it. */
    @Test
    void aTrimmedRowDoesNotMoveTheNetwork() {
        MultiLayerNetwork withOutlier = DenseAutoencoderNetwork.build(5, new int[0], Activations.byName("tanh"), 1e-2, 4);
        MultiLayerNetwork without = withOutlier.clone();
        MultiLayerNetwork untrimmed = withOutlier.clone();
        Minibatch normal = batch(new Random(2), 39, 5);
        float[] values = java.util.Arrays.copyOf(normal.values(), 40 * 5);
        java.util.Arrays.fill(values, 39 * 5, 40 * 5, 50f);
        Minibatch outlier = new Minibatch(values, new long[] {40, 5}, false);
        DenseAdamStep trimmed = DenseAdamStep.of(withOutlier, 0.025, InputNoise.NONE);
        trimmed.fit(outlier);
        trimmed.writeTo(withOutlier);
        DenseAdamStep plain = DenseAdamStep.of(without);
        plain.fit(normal);
        plain.writeTo(without);
        DenseAdamStep all = DenseAdamStep.of(untrimmed);
        all.fit(outlier);
        all.writeTo(untrimmed);
        float[] expected = without.params().toFloatVector();
        float[] actual = withOutlier.params().toFloatVector();
        float[] moved = untrimmed.params().toFloatVector();
        double differs = 0;
        for (int j = 0; j < expected.length; j++) {
            // Adam's first step is the gradient's sign times the step size, whatever its scale (39 vs 40 rows)
            assertEquals(expected[j], actual[j], 1e-5f, "parameter " + j);
            differs = Math.max(differs, Math.abs(moved[j] - expected[j]));
        }
        assertTrue(differs > 1e-3, "without the trim the outlier changes the step");
    }

    @Test
    void keepsTheRowsWithTheSmallestErrors() {
        assertArrayEquals(new boolean[] {true, false, true, true}, TrimmedLoss.kept(new double[] {1, 9, 3, 2}, 0.25));
        assertArrayEquals(new boolean[] {true, true, false, false}, TrimmedLoss.kept(new double[] {5, 5, 5, 5}, 0.5),
                "ties at the cut are kept by position");
        assertArrayEquals(new boolean[] {true}, TrimmedLoss.kept(new double[] {7}, 0.4), "at least one row");
        assertArrayEquals(new boolean[] {true, true, true}, TrimmedLoss.kept(new double[] {1, 2, 3}, 0.1),
                "⌈3 · 0.9⌉ = 3 rows");
    }
}
