package io.github.deepanomaly.nn;

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
        float[] expected = dl4j.params().toFloatVector();
        float[] actual = ours.params().toFloatVector();
        for (int j = 0; j < expected.length; j++) {
            assertEquals(expected[j], actual[j], 1e-4f * Math.max(1, Math.abs(expected[j])), "parameter " + j);
        }
        float[] expectedState = dl4j.getUpdater().getStateViewArray().toFloatVector();
        float[] actualState = ours.getUpdater().getStateViewArray().toFloatVector();
        for (int j = 0; j < expectedState.length; j++) {
            assertEquals(expectedState[j], actualState[j], 1e-4f * Math.max(1e-3f, Math.abs(expectedState[j])),
                    "Adam state " + j);
        }
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
}
