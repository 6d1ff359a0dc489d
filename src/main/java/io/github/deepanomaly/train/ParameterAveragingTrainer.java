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

    /** Where training ended: the final minibatch loss (mean of the workers' last scores) and the time. */
    public record Result(MultiLayerNetwork network, double loss, double seconds) {
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
        long start = System.nanoTime();
        try {
            for (int epoch = 1; epoch <= settings.epochs(); epoch++) {
                sc.setJobDescription(epoch == 1
                        ? String.format(Locale.ROOT, "%s epoch 1/%d", settings.name(), settings.epochs())
                        : String.format(Locale.ROOT, "%s epoch %d/%d, loss %.6g", settings.name(), epoch, settings.epochs(),
                                sparkNet.getScore()));
                sparkNet.fit(minibatches);
                double seconds = (System.nanoTime() - start) / 1e9;
                LOG.info(String.format("%s epoch %d/%d, loss %.6g, %.1f s", settings.name(), epoch,
                        settings.epochs(), sparkNet.getScore(), seconds));
            }
        } finally {
            sc.setJobDescription(previousDescription);
        }
        return new Result(sparkNet.getNetwork(), sparkNet.getScore(), (System.nanoTime() - start) / 1e9);
    }
}
