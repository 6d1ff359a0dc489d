package io.github.deepanomaly.train;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/**
 * Networks built on an executor, reused by the training's later rounds: building a DL4J network costs
 * more than a round's fit on a small table. A deliberate per-executor cache (executors share their JVM
 * between trainings and tasks): keyed by training id, one set of networks per task running at once,
 * holding the networks of at most {@value #MAX_TRAININGS} trainings (the least recently used is dropped
 * when another starts), and emptied of a training's networks when the driver says it has ended.
 */
final class ExecutorNetworks {
    static final int MAX_TRAININGS = 4;

    private static final Map<String, Deque<List<MultiLayerNetwork>>> IDLE =
            new LinkedHashMap<>(8, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Deque<List<MultiLayerNetwork>>> eldest) {
                    return size() > MAX_TRAININGS;
                }
            };

    private ExecutorNetworks() {
    }

    /** An idle set of this training's networks, or a new one: the caller owns it until {@link #giveBack}. */
    static List<MultiLayerNetwork> borrow(String trainingId, LocalStep step) {
        synchronized (IDLE) {
            Deque<List<MultiLayerNetwork>> idle = IDLE.computeIfAbsent(trainingId, id -> new ArrayDeque<>());
            List<MultiLayerNetwork> networks = idle.pollFirst();
            if (networks != null) {
                return networks;
            }
        }
        return step.buildNetworks();
    }

    static void giveBack(String trainingId, List<MultiLayerNetwork> networks) {
        synchronized (IDLE) {
            IDLE.computeIfAbsent(trainingId, id -> new ArrayDeque<>()).addFirst(networks);
        }
    }

    static void release(String trainingId) {
        synchronized (IDLE) {
            IDLE.remove(trainingId);
        }
    }

    /** How many sets of networks are idle for this training in this JVM (for tests). */
    static int idle(String trainingId) {
        synchronized (IDLE) {
            Deque<List<MultiLayerNetwork>> idle = IDLE.get(trainingId);
            return idle == null ? 0 : idle.size();
        }
    }
}
