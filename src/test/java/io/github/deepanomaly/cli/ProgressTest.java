package io.github.deepanomaly.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.deepanomaly.train.Training;
import io.github.deepanomaly.train.Training.EpochProgress;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ProgressTest {
    @Test
    void readsTheTrainersJobDescriptions() {
        assertEquals(Optional.of(new EpochProgress("autoencoder", 3, 20, 0.0123, Double.NaN)),
                Training.progressOf("autoencoder epoch 3/20, loss 0.0123000"));
        assertEquals(Optional.of(new EpochProgress("autoencoder", 3, 20, 0.0123, 0.0456)),
                Training.progressOf("autoencoder epoch 3/20, loss 0.0123000, validation 0.0456"));
        EpochProgress first = Training.progressOf("autoencoder epoch 1/20").orElseThrow();
        assertEquals(1, first.epoch());
        assertTrue(Double.isNaN(first.loss()));
        assertEquals(Optional.empty(), Training.progressOf("count at DataLoader.java:31"));
        assertEquals(Optional.empty(), Training.progressOf(null));
    }

    @Test
    void showsRateAndTimeLeftOnceAnEpochIsDone() {
        assertEquals("autoencoder epoch 1/20", Progress.line(new EpochProgress("autoencoder", 1, 20, Double.NaN, Double.NaN), 1, 0));
        // 2 epochs done in 5 s: 2.5 s each, epochs 3 to 20 left
        assertEquals("autoencoder epoch 3/20, loss 0.01230, 2.5 s/epoch, about 45 s left",
                Progress.line(new EpochProgress("autoencoder", 3, 20, 0.0123, Double.NaN), 1, 5.0));
        assertEquals("autoencoder epoch 2/200, loss 1.000, validation 1.500, 30.0 s/epoch, about 99 min 30 s left",
                Progress.line(new EpochProgress("autoencoder", 2, 200, 1.0, 1.5), 1, 30.0));
    }
}
