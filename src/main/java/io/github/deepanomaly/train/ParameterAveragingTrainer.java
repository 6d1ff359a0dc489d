package io.github.deepanomaly.train;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.storage.StorageLevel;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.spark.api.RDDTrainingApproach;
import org.deeplearning4j.spark.api.Repartition;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.nd4j.linalg.dataset.DataSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fits a network on an RDD of minibatches with dl4j-spark's parameter averaging, one epoch per call of
 * {@link SparkDl4jMultiLayer#fit}, so that each epoch can be reported in the log and the Spark UI.
 *
 * <p>Settings chosen by measurement (README, "Training speed"): the Direct approach fits the cached
 * minibatches in place, where the default Export approach first writes every minibatch to disk and
 * reads it back (15× slower here); Repartition.Never because the rows are already spread over exactly
 * {@code numWorkers} partitions before they become minibatches.
 */
public final class ParameterAveragingTrainer {
    private static final Logger LOG = LoggerFactory.getLogger(ParameterAveragingTrainer.class);

    /**
     * How callers should persist the minibatches: deserialized in memory: each epoch reads every minibatch, and deserializing them every time cost
     * more than the fit on small networks.
     */
    public static final StorageLevel MINIBATCH_STORAGE = StorageLevel.MEMORY_ONLY();

    /** What to fit and how; {@code name} labels the progress lines ("autoencoder epoch 3/20, …"). */
    public record Settings(String name, int epochs, int batchSize, int numWorkers, int averagingFrequency,
            long seed) {
    }

    /**
     * The description of each epoch's Spark jobs: "autoencoder epoch 3/20, loss 0.0123" (no loss yet in
     * epoch 1), shown in the Spark UI and read back by {@link #progressOf} for progress displays.
     */
    private static final Pattern EPOCH_DESCRIPTION = Pattern.compile("(.+) epoch (\\d+)/(\\d+)(?:, loss (\\S+))?");

    /** Where training is: {@code epoch} of {@code epochs} has started; {@code loss} is NaN in epoch 1. */
    public record EpochProgress(String name, int epoch, int epochs, double loss) {
    }

    /** What a job's description says about training progress, if it is one of this trainer's epoch jobs. */
    public static Optional<EpochProgress> progressOf(String jobDescription) {
        Matcher m = jobDescription == null ? null : EPOCH_DESCRIPTION.matcher(jobDescription);
        if (m == null || !m.matches()) {
            return Optional.empty();
        }
        double loss = m.group(4) == null ? Double.NaN : Double.parseDouble(m.group(4));
        return Optional.of(new EpochProgress(m.group(1), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)),
                loss));
    }

    /**
     * Where training ended: the final minibatch loss (mean of the workers' last scores), the epochs run
     * (fewer than asked when an {@link EpochListener} stopped early) and the training time.
     */
    public record Result(MultiLayerNetwork network, double loss, int epochs, double seconds) {
    }

    /**
     * Told after every epoch, on the driver: for progress, early stopping or measuring how the loss
     * evolves without refitting from scratch.
     */
    @FunctionalInterface
    public interface EpochListener {
        /** Listens to nothing and never stops training. */
        EpochListener NONE = (epoch, network, seconds) -> true;

        /**
         * @param epoch   the epoch just finished, 1-based
         * @param network the network being trained, with the parameters averaged at the end of the epoch:
         *                read it (e.g. {@code output}), do not change it
         * @param seconds training time so far, without the time spent in this listener
         * @return true to go on, false to stop after this epoch
         */
        boolean afterEpoch(int epoch, MultiLayerNetwork network, double seconds);
    }

    private ParameterAveragingTrainer() {
    }

    /**
     * @param minibatches DataSets of {@code settings.batchSize()} rows (the last of a partition may be
     *                    smaller) in {@code settings.numWorkers()} partitions, persisted by the caller
     *                    (every epoch reads them all)
     */
    public static Result fit(JavaSparkContext sc, MultiLayerNetwork network, JavaRDD<DataSet> minibatches,
            Settings settings) {
        return fit(sc, network, minibatches, settings, EpochListener.NONE);
    }

    /** As {@link #fit(JavaSparkContext, MultiLayerNetwork, JavaRDD, Settings)}, telling {@code listener} after every epoch. */
    public static Result fit(JavaSparkContext sc, MultiLayerNetwork network, JavaRDD<DataSet> minibatches,
            Settings settings, EpochListener listener) {
        ParameterAveragingTrainingMaster master = new ParameterAveragingTrainingMaster.Builder(
                settings.numWorkers(), settings.batchSize())
                .batchSizePerWorker(settings.batchSize())
                .averagingFrequency(settings.averagingFrequency())
                .rddTrainingApproach(RDDTrainingApproach.Direct)
                .repartionData(Repartition.Never)
                .saveUpdater(true)
                .storageLevel(null)
                .rngSeed(settings.seed())
                .build();
        SparkDl4jMultiLayer sparkNet = new SparkDl4jMultiLayer(sc, network, master);
        String previousDescription = sc.getLocalProperty("spark.job.description");
        // training time only: what the listener spends (e.g. computing a loss on the driver) is not training
        long trainingNanos = 0;
        int epoch = 0;
        try {
            boolean goOn = true;
            while (goOn && epoch < settings.epochs()) {
                epoch++;
                sc.setJobDescription(epoch == 1
                        ? String.format(Locale.ROOT, "%s epoch 1/%d", settings.name(), settings.epochs())
                        : String.format(Locale.ROOT, "%s epoch %d/%d, loss %.6g", settings.name(), epoch, settings.epochs(),
                                sparkNet.getScore()));
                long start = System.nanoTime();
                sparkNet.fit(minibatches);
                trainingNanos += System.nanoTime() - start;
                double seconds = trainingNanos / 1e9;
                LOG.info(String.format("%s epoch %d/%d, loss %.6g, %.1f s", settings.name(), epoch,
                        settings.epochs(), sparkNet.getScore(), seconds));
                goOn = listener.afterEpoch(epoch, sparkNet.getNetwork(), seconds);
            }
        } finally {
            sc.setJobDescription(previousDescription);
        }
        return new Result(sparkNet.getNetwork(), sparkNet.getScore(), epoch, trainingNanos / 1e9);
    }
}
