package io.github.deepanomaly;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

class EpochListenerTest {

    @Test
    void listenerSeesEveryEpochAndCanStopTraining() {
        Dataset<Row> data = SyntheticData.planted(SparkTestSession.get(), 600, 10, 4, 11).cache();
        List<Integer> epochs = new ArrayList<>();
        List<Double> seconds = new ArrayList<>();
        double[][] params = new double[1][];
        AutoencoderDetectorModel model = new AutoencoderDetector().setMaxIter(10).setBatchSize(64)
                .fit(data, (epoch, network, elapsed) -> {
                    epochs.add(epoch);
                    seconds.add(elapsed);
                    params[0] = network.params().toDoubleVector();
                    return epoch < 3;
                });
        assertEquals(List.of(1, 2, 3), epochs, "stops after the epoch whose listener call returned false");
        for (int i = 1; i < seconds.size(); i++) {
            assertTrue(seconds.get(i) >= seconds.get(i - 1) && seconds.get(0) > 0, "training time grows: " + seconds);
        }
        assertArrayEquals(params[0], model.network().params().toDoubleVector(),
                "the model keeps the network of the epoch training stopped at");
        data.unpersist();
    }
}
