package io.github.deepanomaly.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.github.deepanomaly.train.Minibatch;
import java.util.Arrays;
import java.util.List;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;

class GanStepTest {
    private static final int WIDTH = 4;
    private static final float[] NORMAL = {0.1f, -0.2f, 0.3f, 0.0f, -0.1f, 0.2f, 0.1f, -0.3f, 0.2f, 0.1f, -0.2f, 0.1f};

    /** The three normal rows, then {@code outlier} as the fourth. */
    private static Minibatch batch(float... outlier) {
        float[] values = Arrays.copyOf(NORMAL, NORMAL.length + outlier.length);
        System.arraycopy(outlier, 0, values, NORMAL.length, outlier.length);
        return new Minibatch(values, new long[] {values.length / WIDTH, WIDTH}, false);
    }

    private static GanStep step(double adversarialWeight, double trimFraction) {
        return new GanStep(WIDTH, new int[] {3, 2}, "tanh", 1e-2, 1e-2, 1, adversarialWeight, 0.1, trimFraction,
                5);
    }

    private static float[] params(List<MultiLayerNetwork> networks, int which) {
        return networks.get(which).params().toFloatVector();
    }

    @Test
    void aTrimmedRowMovesNeitherEncoderNorGenerator() {
        // without the adversary, E and G learn from the reconstruction error alone: of the kept rows only
        GanStep trimmed = step(0, 0.25);
        List<MultiLayerNetwork> one = trimmed.buildNetworks();
        List<MultiLayerNetwork> other = trimmed.buildNetworks();
        double lossOne = trimmed.fitAll(one, List.of(batch(50, -40, 30, 60)));
        double lossOther = trimmed.fitAll(other, List.of(batch(-70, 20, 90, -10)));
        assertArrayEquals(params(one, GanNetworks.ENCODER), params(other, GanNetworks.ENCODER));
        assertArrayEquals(params(one, GanNetworks.GENERATOR), params(other, GanNetworks.GENERATOR));
        assertEquals(lossOne, lossOther, 1e-12);

        List<MultiLayerNetwork> untrimmed = step(0, 0).buildNetworks();
        step(0, 0).fitAll(untrimmed, List.of(batch(50, -40, 30, 60)));
        assertFalse(Arrays.equals(params(one, GanNetworks.GENERATOR), params(untrimmed, GanNetworks.GENERATOR)));
    }

    @Test
    void theHeldOutLossLeavesOutTheSameRows() {
        GanStep trimmed = step(1, 0.25);
        List<MultiLayerNetwork> networks = trimmed.buildNetworks();
        Minibatch normal = new Minibatch(NORMAL, new long[] {3, WIDTH}, true);
        assertEquals(step(1, 0).lossAll(networks, List.of(normal)),
                trimmed.lossAll(networks, List.of(batch(50, -40, 30, 60))), 1e-12);
    }
}
