package io.github.deepanomaly.train;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.storage.RDDInfo;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Parameter averaging of any set of DL4J networks over the cached minibatches, one Spark job per round:
 * the driver broadcasts the states of all the detector's networks, each worker (partition) fits its
 * next {@code averagingFrequency} training minibatches with the detector's {@link LocalStep} on networks
 * its executor built once, and the driver averages the returned states weighted by rows (a tree
 * aggregate over many workers). With held-out minibatches, the first round of every epoch also computes
 * the held-out loss of the states it starts from (the previous epoch's result), so validation costs no
 * job of its own but the last; training stops after {@code patience} epochs without improvement and the
 * networks keep the best epoch's states.
 */
public final class AveragingEngine {
    private static final Logger LOG = LoggerFactory.getLogger(Training.LOGGER);
    /** Workers beyond which the driver stops merging every result itself and Spark merges them in a tree. */
    static final int TREE_AGGREGATE_ABOVE = 32;
    /** The longest the engine waits for Spark's storage figures of the freshly cached minibatches. */
    static final long STORAGE_FIGURES_WAIT_MILLIS = 5_000;

    private AveragingEngine() {
    }

    /**
     * @param minibatches {@code settings.numWorkers()} partitions of minibatches, persisted by the caller
     *                    (every round reads them); held-out ones enable validation and early stopping
     */
    public static Training.Result fit(JavaSparkContext sc, LocalStep step, JavaRDD<Minibatch> minibatches,
            Training.Settings settings, Training.EpochListener listener) {
        String trainingId = UUID.randomUUID().toString();
        String previousDescription = sc.getLocalProperty("spark.job.description");
        try {
            sc.setJobDescription(settings.name() + ": caching the minibatches");
            List<PartitionLayout> layout = PartitionLayout.checked(minibatches, settings.validationFraction());
            long rows = PartitionLayout.rows(layout);
            long heldOut = PartitionLayout.heldOutRows(layout);
            int batches = PartitionLayout.maxBatches(layout);
            int frequency = settings.averagingFrequency() > 0 ? settings.averagingFrequency()
                    : AveragingFrequency.auto(batches);
            int rounds = AveragingFrequency.rounds(batches, frequency);
            long cachedBytes = cachedBytes(sc, minibatches);
            String moreEpochs = Training.moreEpochs(settings, batches);
            LOG.info(String.format(Locale.ROOT, "%s: %d training rows and %d held out in %d partitions (%.1f MB"
                    + " cached), averaging every %d minibatches, %d rounds per epoch%s", settings.name(), rows, heldOut,
                    layout.size(), cachedBytes / 1e6, frequency, rounds, moreEpochs.isEmpty() ? "" : "; " + moreEpochs));
            return new Run(sc, trainingId, step, minibatches, settings.forBatches(batches),
                    listener, heldOut > 0, frequency, rounds).epochs(cachedBytes);
        } finally {
            sc.setJobDescription(previousDescription);
            ExecutorNetworks.release(trainingId); // the driver's own (local mode); executors drop them by LRU
        }
    }

    /**
     * One round's job: every worker loads {@code states}, computes its held-out loss if {@code validate}, fits
     * its training minibatches {@code from} to {@code to}; the results come back summed.
     */
    static RoundResult round(JavaSparkContext sc, String trainingId, LocalStep step, JavaRDD<Minibatch> minibatches,
            NetworkStates states, int from, int to, boolean validate) {
        Broadcast<NetworkStates> shipped = sc.broadcast(states);
        try {
            RoundTask task = new RoundTask(trainingId, step, shipped, from, to, validate);
            if (minibatches.getNumPartitions() > TREE_AGGREGATE_ABOVE) {
                return minibatches.mapPartitions(task)
                        .treeAggregate(new RoundResult(), RoundResult::merge, RoundResult::merge, 2);
            }
            // Summed in partition order, not in the order the tasks finish: floating-point sums depend on
            // their order, and with more than two workers that order would leak into the trained networks.
            List<RoundResult> results = minibatches.mapPartitionsWithIndex(
                    (index, batches) -> List.of(task.call(batches).next().atPartition(index)).iterator(), false)
                    .collect();
            return RoundResult.inPartitionOrder(results);
        } finally {
            shipped.unpersist(false);
        }
    }

    /** What Spark's storage accounting says the cached minibatches take in memory (0 when not cached). */
    static long cachedBytes(JavaSparkContext sc, JavaRDD<Minibatch> minibatches) {
        // Spark's storage figures come from its status store, which a listener fills from the event queue:
        // on a loaded machine the caching job's block updates may not have arrived yet (0 MB reported)
        try {
            sc.sc().listenerBus().waitUntilEmpty(STORAGE_FIGURES_WAIT_MILLIS);
        } catch (java.util.concurrent.TimeoutException e) {
            LOG.warn("the cached minibatches' size may be missing: Spark's event queue did not drain in "
                    + STORAGE_FIGURES_WAIT_MILLIS + " ms");
        }
        for (RDDInfo info : sc.sc().getRDDStorageInfo()) {
            if (info.id() == minibatches.id()) {
                return info.memSize();
            }
        }
        return 0;
    }

    /** One training's loop and the state it carries between rounds. */
    private static final class Run {
        private final JavaSparkContext sc;
        private final String trainingId;
        private final LocalStep step;
        private final JavaRDD<Minibatch> minibatches;
        private final Training.Settings settings;
        private final Training.EpochListener listener;
        private final boolean validating;
        private final int frequency;
        private final int rounds;
        private final List<MultiLayerNetwork> driverNetworks;
        private final EarlyStopping stopping;
        private NetworkStates states;
        private long trainingNanos;
        private double lastLoss = Double.NaN;
        private final List<Double> losses = new ArrayList<>();
        private final List<Double> secondLosses = new ArrayList<>();
        private double lastValidation = Double.NaN;

        Run(JavaSparkContext sc, String trainingId, LocalStep step, JavaRDD<Minibatch> minibatches,
                Training.Settings settings, Training.EpochListener listener, boolean validating, int frequency,
                int rounds) {
            this.sc = sc;
            this.trainingId = trainingId;
            this.step = step;
            this.minibatches = minibatches;
            this.settings = settings;
            this.listener = listener;
            this.validating = validating;
            this.frequency = frequency;
            this.rounds = rounds;
            this.driverNetworks = step.buildNetworks();
            this.states = NetworkStates.of(driverNetworks);
            this.stopping = new EarlyStopping(settings.patience());
            // what a round holds on the driver: the states it ships (floats) and the running sum (doubles)
            LOG.info(String.format(Locale.ROOT, "%s: %d parameters and updater values in %d network(s): %.1f kB"
                    + " shipped and %.1f kB summed per round", settings.name(), states.size(),
                    states.params().length, states.size() * 4 / 1e3, states.size() * 8 / 1e3));
        }

        Training.Result epochs(long cachedBytes) {
            int epoch = 0;
            int lastEpoch = 0;
            // the states at the end of the epoch whose validation loss the next round computes
            NetworkStates pending = null;
            boolean goOn = true;
            while (goOn && epoch < settings.epochs()) {
                epoch++;
                double lossSum = 0;
                double secondLossSum = 0;
                long rows = 0;
                for (int round = 0; round < rounds; round++) {
                    boolean validate = validating && pending != null && round == 0;
                    sc.setJobDescription(Training.description(settings.name(), epoch, settings.epochs(), lastLoss,
                            lastValidation));
                    RoundResult result = round(round * frequency, (round + 1) * frequency, validate);
                    if (validate) {
                        goOn = afterValidation(epoch - 1, result, pending);
                        pending = null;
                        if (!goOn) {
                            break; // this round's training is past the best epoch: dropped
                        }
                    }
                    states = result.average(states);
                    lossSum += result.lossSum;
                    secondLossSum += result.secondLossSum;
                    rows += result.rows;
                }
                if (!goOn) {
                    break;
                }
                lastEpoch = epoch;
                lastLoss = lossSum / rows;
                if (!Double.isFinite(lastLoss)) {
                    throw new IllegalStateException(String.format(Locale.ROOT, "%s training diverged: the loss of"
                            + " epoch %d is %s; lower stepSize (the usual cause) or look for extreme values"
                            + " in the input", settings.name(), epoch, lastLoss));
                }
                losses.add(lastLoss);
                secondLosses.add(secondLossSum / rows);
                step.checkLosses(losses.stream().mapToDouble(Double::doubleValue).toArray(),
                        secondLosses.stream().mapToDouble(Double::doubleValue).toArray());
                if (validating) {
                    pending = states;
                } else {
                    goOn = tellListener(epoch, states, Double.NaN);
                }
            }
            if (pending != null) {
                // the last epoch's validation loss: the one job validation has to itself
                sc.setJobDescription(settings.name() + ": validation loss of epoch " + lastEpoch);
                afterValidation(lastEpoch, round(0, 0, true), pending);
            }
            NetworkStates kept = validating ? stopping.best() : states;
            kept.loadInto(driverNetworks);
            return new Training.Result(driverNetworks, lastLoss, validating ? stopping.bestLoss() : Double.NaN,
                    lastEpoch, validating ? stopping.bestEpoch() : lastEpoch, frequency, cachedBytes,
                    trainingNanos / 1e9);
        }

        private RoundResult round(int from, int to, boolean validate) {
            long start = System.nanoTime();
            try {
                return AveragingEngine.round(sc, trainingId, step, minibatches, states, from, to, validate);
            } finally {
                trainingNanos += System.nanoTime() - start;
            }
        }

        private boolean afterValidation(int epoch, RoundResult result, NetworkStates epochStates) {
            lastValidation = result.heldOutLossSum / result.heldOutRows;
            boolean goOn = stopping.observe(epoch, lastValidation, epochStates);
            if (!goOn) {
                LOG.info(String.format(Locale.ROOT, "%s: stopping early, no better validation loss for %d epochs;"
                        + " keeping epoch %d (validation loss %.6g)", settings.name(), settings.patience(),
                        stopping.bestEpoch(), stopping.bestLoss()));
            }
            return tellListener(epoch, epochStates, lastValidation) && goOn;
        }

        private boolean tellListener(int epoch, NetworkStates epochStates, double validationLoss) {
            double seconds = trainingNanos / 1e9;
            String second = step.secondLossName() == null ? ""
                    : String.format(Locale.ROOT, ", %s %.6g", step.secondLossName(), secondLosses.get(epoch - 1));
            LOG.info(String.format(Locale.ROOT, "%s epoch %d/%d, loss %.6g%s%s, %.1f s", settings.name(), epoch,
                    settings.epochs(), lastLoss, second, Double.isNaN(validationLoss) ? ""
                            : String.format(Locale.ROOT, ", validation loss %.6g", validationLoss), seconds));
            if (listener == Training.EpochListener.NONE) {
                return true;
            }
            epochStates.loadInto(driverNetworks);
            return listener.afterEpoch(epoch, driverNetworks.get(0), seconds);
        }
    }
}
