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
        List<MultiLayerNetwork> networks = ExecutorNetworks.borrow(trainingId, step);
        try {
            states.value().loadInto(networks);
            long heldOutRows = 0;
            double heldOutLoss = 0;
            // The partition's cursor: its training minibatches are numbered in cache order, and this round takes
            // its share of them by number; iterating cached objects up to there costs next to nothing.
            List<Minibatch> mine = new ArrayList<>(Math.max(0, to - from));
            int index = 0;
            while (minibatches.hasNext() && (validate || index < to)) {
                Minibatch batch = minibatches.next();
                if (batch.heldOut()) {
                    if (validate) {
                        heldOutLoss += step.loss(networks, batch.input());
                        heldOutRows += batch.rows();
                    }
                } else {
                    if (index >= from && index < to) {
                        mine.add(batch);
                    }
                    index++;
                }
            }
            long rows = 0;
            double loss = 0;
            for (Minibatch batch : mine) {
                loss += step.fit(networks, batch.input());
                rows += batch.rows();
            }
            NetworkStates trained = rows > 0 ? NetworkStates.of(networks) : null;
            return List.of(RoundResult.of(trained, rows, loss, mine.size(), heldOutRows, heldOutLoss)).iterator();
        } finally {
            ExecutorNetworks.giveBack(trainingId, networks);
        }
    }
}
