package io.github.deepanomaly.train;

import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.spark.api.RDDTrainingApproach;
import org.deeplearning4j.spark.api.Repartition;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.nd4j.linalg.dataset.DataSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * dl4j-spark's {@code ParameterAveragingTrainingMaster}, kept as the reference engine for detectors that
 * train one network ({@code trainingEngine = dl4j-spark}): one {@link SparkDl4jMultiLayer#fit} per epoch, so
 * that each epoch is reported. Its reported loss is DL4J's (the last minibatch's of one worker), and with
 * held-out rows each epoch costs one more job for the validation loss.
 *
 * <p>Settings chosen by measurement: the Direct approach fits the cached minibatches in place, where the
 * default Export approach first writes every minibatch to disk and reads it back (15× slower here);
 * Repartition.Never because the minibatches are already spread over exactly {@code numWorkers} partitions;
 * saveUpdater, without which Adam restarts at every averaging.
 */
public final class Dl4jSparkEngine {
    private static final Logger LOG = LoggerFactory.getLogger(Training.LOGGER);

    private Dl4jSparkEngine() {
    }

    public static Training.Result fit(JavaSparkContext sc, SingleNetworkStep step, JavaRDD<Minibatch> minibatches,
            Training.Settings settings, Training.EpochListener listener) {
        int frequency = settings.averagingFrequency() > 0 ? settings.averagingFrequency()
                : AveragingFrequency.SMALL_TABLE;
        ParameterAveragingTrainingMaster master = new ParameterAveragingTrainingMaster.Builder(
                settings.numWorkers(), settings.batchSize())
                .batchSizePerWorker(settings.batchSize())
                .averagingFrequency(frequency)
                .rddTrainingApproach(RDDTrainingApproach.Direct)
                .repartionData(Repartition.Never)
                .saveUpdater(true)
                .storageLevel(null)
                .rngSeed(settings.seed())
                .build();
        List<MultiLayerNetwork> networks = step.buildNetworks();
        SparkDl4jMultiLayer sparkNet = new SparkDl4jMultiLayer(sc, networks.get(0), master);
        JavaRDD<DataSet> training = minibatches.filter(b -> !b.heldOut()).map(b -> step.dataSet(b.input()));
        List<PartitionLayout> layout = PartitionLayout.checked(minibatches, settings.validationFraction());
        boolean validating = PartitionLayout.heldOutRows(layout) > 0;
        int batches = PartitionLayout.maxBatches(layout);
        String moreEpochs = Training.moreEpochs(settings, batches);
        if (!moreEpochs.isEmpty()) {
            LOG.info(settings.name() + ": " + moreEpochs);
        }
        Training.Settings run = settings.forBatches(batches);
        EarlyStopping stopping = new EarlyStopping(run.patience());
        String trainingId = UUID.randomUUID().toString();
        String previousDescription = sc.getLocalProperty("spark.job.description");
        long trainingNanos = 0;
        int epoch = 0;
        double validation = Double.NaN;
        NetworkStates states = NetworkStates.of(networks);
        try {
            boolean goOn = true;
            while (goOn && epoch < run.epochs()) {
                epoch++;
                sc.setJobDescription(Training.description(run.name(), epoch, run.epochs(),
                        epoch == 1 ? Double.NaN : sparkNet.getScore(), validation));
                long start = System.nanoTime();
                sparkNet.fit(training);
                states = NetworkStates.of(List.of(sparkNet.getNetwork()));
                if (validating) {
                    RoundResult held = AveragingEngine.round(sc, trainingId, step, minibatches, states, 0, 0, true);
                    validation = held.heldOutLossSum / held.heldOutRows;
                    goOn = stopping.observe(epoch, validation, states);
                }
                trainingNanos += System.nanoTime() - start;
                double seconds = trainingNanos / 1e9;
                LOG.info(String.format(Locale.ROOT, "%s epoch %d/%d, loss %.6g (DL4J's: one worker's last minibatch)%s,"
                        + " %.1f s", run.name(), epoch, run.epochs(), sparkNet.getScore(),
                        validating ? String.format(Locale.ROOT, ", validation loss %.6g", validation) : "", seconds));
                goOn = listener.afterEpoch(epoch, sparkNet.getNetwork(), seconds) && goOn;
            }
        } finally {
            sc.setJobDescription(previousDescription);
            ExecutorNetworks.release(trainingId);
        }
        NetworkStates kept = validating ? stopping.best() : states;
        kept.loadInto(networks);
        return new Training.Result(networks, sparkNet.getScore(), validating ? stopping.bestLoss() : Double.NaN,
                epoch, validating ? stopping.bestEpoch() : epoch, frequency,
                AveragingEngine.cachedBytes(sc, minibatches), trainingNanos / 1e9);
    }
}
