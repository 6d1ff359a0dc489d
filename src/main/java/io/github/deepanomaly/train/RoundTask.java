package io.github.deepanomaly.train;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/**
 * One worker's part of a round, run on its partition of the cached minibatches: load the broadcast
 * states into this executor's networks, compute the held-out loss of those states when asked, fit the
 * partition's training minibatches {@code from} (inclusive) to {@code to} (exclusive), and return the
 * trained states and the losses.
 */
record RoundTask(String trainingId, LocalStep step, Broadcast<NetworkStates> states, int from, int to,
        boolean validate) implements FlatMapFunction<Iterator<Minibatch>, RoundResult> {

    @Override
    public Iterator<RoundResult> call(Iterator<Minibatch> minibatches) {
        NativeThreads.matchTaskCpus();
        List<MultiLayerNetwork> networks = ExecutorNetworks.borrow(trainingId, step);
        try {
            states.value().loadInto(networks);
            // The partition's cursor: its training minibatches are numbered in cache order, and this round takes
            // its share of them by number; iterating cached objects up to there costs next to nothing.
            List<Minibatch> mine = new ArrayList<>(Math.max(0, to - from));
            List<Minibatch> heldOut = new ArrayList<>();
            int index = 0;
            while (minibatches.hasNext() && (validate || index < to)) {
                Minibatch batch = minibatches.next();
                if (batch.heldOut()) {
                    if (validate) {
                        heldOut.add(batch);
                    }
                } else {
                    if (index >= from && index < to) {
                        mine.add(batch);
                    }
                    index++;
                }
            }
            // the held-out loss of the states as broadcast, before this round trains them
            double heldOutLoss = heldOut.isEmpty() ? 0 : step.lossAll(networks, heldOut);
            long heldOutRows = heldOut.stream().mapToLong(Minibatch::rows).sum();
            double[] losses = mine.isEmpty() ? new double[2] : step.fitAllLosses(networks, mine);
            long rows = mine.stream().mapToLong(Minibatch::rows).sum();
            NetworkStates trained = rows > 0 ? NetworkStates.of(networks) : null;
            return List.of(RoundResult.of(trained, rows, losses[0], mine.size(), heldOutRows, heldOutLoss)
                    .withSecondLoss(losses[1])).iterator();
        } finally {
            ExecutorNetworks.giveBack(trainingId, networks);
        }
    }
}
