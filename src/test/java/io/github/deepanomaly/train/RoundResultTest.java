package io.github.deepanomaly.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The workers' results summed the same way whatever order their tasks finish in. */
class RoundResultTest {
    static RoundResult worker(int partition, float value) {
        NetworkStates trained = new NetworkStates(new float[][] {{value, 1}}, new float[][] {{value}}, 0);
        return RoundResult.of(trained, 1, value, 1, 0, 0).atPartition(partition);
    }

    /** Values whose floating-point sum depends on the order: (a + b) + c = 0 but (a + c) + b = 1. */
    static List<RoundResult> workers() {
        return List.of(worker(0, 1e30f), worker(1, -1e30f), worker(2, 1f));
    }

    @Test
    void theSumDoesNotDependOnTheOrderTheResultsArrive() {
        List<RoundResult> w = workers();
        NetworkStates previous = new NetworkStates(new float[][] {{0, 0}}, new float[][] {{0}}, 0);
        NetworkStates inOrder = RoundResult.inPartitionOrder(List.of(w.get(0), w.get(1), w.get(2))).average(previous);
        List<RoundResult> again = workers();
        NetworkStates arrived = RoundResult.inPartitionOrder(List.of(again.get(2), again.get(0), again.get(1)))
                .average(previous);
        assertArrayEquals(inOrder.params()[0], arrived.params()[0]);
        assertArrayEquals(inOrder.updaterStates()[0], arrived.updaterStates()[0]);
        assertEquals(1f / 3, inOrder.params()[0][0], "partition order: 1e30 - 1e30 + 1, averaged over 3 rows");
    }
}
