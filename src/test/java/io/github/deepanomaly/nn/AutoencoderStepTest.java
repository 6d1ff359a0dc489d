package io.github.deepanomaly.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.github.deepanomaly.train.Minibatch;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;

/** The autoencoder's step over the epochs: every row in the warm-up, trimmed after it. */
class AutoencoderStepTest {
    static final AutoencoderStep TRIMMED = new AutoencoderStep(5, new int[0], "tanh", 1e-2, 3, 0.25);
    static final AutoencoderStep UNTRIMMED = new AutoencoderStep(5, new int[0], "tanh", 1e-2, 3, 0);

    static List<Minibatch> minibatches() {
        Random random = new Random(4);
        List<Minibatch> batches = new ArrayList<>();
        for (int b = 0; b < 6; b++) {
            float[] values = new float[32 * 5];
            for (int i = 0; i < values.length; i++) {
                // a heavy tail, so that the trim leaves out rows that matter
                values[i] = (float) (random.nextGaussian() * (random.nextInt(8) == 0 ? 6 : 1));
            }
            batches.add(new Minibatch(values, new long[] {32, 5}, false));
        }
        return batches;
    }

    static float[] trainedBy(AutoencoderStep step) {
        List<MultiLayerNetwork> networks = step.buildNetworks();
        step.fitAll(networks, minibatches());
        return networks.get(0).params().toFloatVector();
    }

    @Test
    void theWarmUpEpochTrainsOnEveryRow() {
        for (int epoch = 1; epoch <= AutoencoderStep.TRIM_WARMUP_EPOCHS; epoch++) {
            assertArrayEquals(trainedBy(UNTRIMMED), trainedBy(TRIMMED.forEpoch(epoch)), "epoch " + epoch);
        }
    }

    @Test
    void laterEpochsTrim() {
        float[] trimmed = trainedBy(TRIMMED.forEpoch(AutoencoderStep.TRIM_WARMUP_EPOCHS + 1));
        assertArrayEquals(trainedBy(TRIMMED), trimmed);
        assertFalse(Arrays.equals(trainedBy(UNTRIMMED), trimmed), "the trim changes what is learned");
    }

    @Test
    void theHeldOutLossIsTrimmedInEveryEpoch() {
        List<MultiLayerNetwork> networks = TRIMMED.buildNetworks();
        double trimmedLoss = TRIMMED.lossAll(networks, minibatches());
        assertEquals(trimmedLoss, TRIMMED.forEpoch(1).lossAll(networks, minibatches()), 1e-9);
        assertEquals(trimmedLoss, TRIMMED.forEpoch(4).lossAll(networks, minibatches()), 1e-9);
        assertFalse(Math.abs(trimmedLoss - UNTRIMMED.lossAll(networks, minibatches())) < 1e-6);
    }
}
