package io.github.deepanomaly.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.deepanomaly.nn.AutoencoderStep;
import java.util.List;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class NetworkStatesTest {

    @Test
    void loadingStatesMakesANetworkTrainLikeTheOneTheyCameFrom() {
        AutoencoderStep step = new AutoencoderStep(5, new int[0], "tanh", 1e-2, 1, 0, 0);
        INDArray x = Nd4j.rand(org.nd4j.linalg.api.buffer.DataType.FLOAT, 64, 5);
        List<MultiLayerNetwork> trained = new AutoencoderStep(5, new int[0], "tanh", 1e-2, 99, 0, 0).buildNetworks();
        for (int i = 0; i < 7; i++) {
            step.fit(trained, x.dup());
        }
        NetworkStates states = NetworkStates.of(trained);
        List<MultiLayerNetwork> other = step.buildNetworks();
        states.loadInto(other);
        assertArrayEquals(trained.get(0).params().toFloatVector(), other.get(0).params().toFloatVector());
        assertEquals(7, other.get(0).getIterationCount());
        step.fit(trained, x.dup());
        step.fit(other, x.dup());
        assertArrayEquals(trained.get(0).params().toFloatVector(), other.get(0).params().toFloatVector(), 1e-6f,
                "the next step is the same: parameters, updater state and iteration all carried over");
    }
}
