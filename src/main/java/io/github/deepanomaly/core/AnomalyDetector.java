package io.github.deepanomaly.core;

import io.github.deepanomaly.score.ErrorScales;
import io.github.deepanomaly.score.NetworksScore;
import io.github.deepanomaly.score.TrainingScores;
import io.github.deepanomaly.train.AveragingEngine;
import io.github.deepanomaly.train.Dl4jSparkEngine;
import io.github.deepanomaly.train.LocalStep;
import io.github.deepanomaly.train.Minibatch;
import io.github.deepanomaly.train.Minibatches;
import io.github.deepanomaly.train.NetworkStates;
import io.github.deepanomaly.train.SingleNetworkStep;
import io.github.deepanomaly.train.Training;
import java.util.List;
import java.util.Locale;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.Estimator;
import org.apache.spark.ml.Model;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every detector's fit does the same way, in the spirit of Spark's {@code Predictor}: input checks
 * and {@code handleInvalid}, standardization, minibatches cached on the executors (a share held out for
 * early stopping), the training engine, and the threshold and score distribution of the training rows.
 * A detector supplies only its networks and local step, how its networks score a batch, and its model.
 *
 * @param <M> the detector's model
 * @param <T> the detector itself, returned by the fluent setters
 */
public abstract class AnomalyDetector<M extends Model<M>, T extends AnomalyDetector<M, T>> extends Estimator<M>
        implements TrainingParams<T> {
    private static final Logger LOG = LoggerFactory.getLogger(AnomalyDetector.class);

    private final String uid;
    private final DetectorParamSet detectorParamSet;
    private final TrainingParamSet trainingParamSet;

    /** @param defaultSeed the detector's own default seed, so that two detectors do not start alike */
    protected AnomalyDetector(String uid, long defaultSeed) {
        this.uid = uid;
        this.detectorParamSet = new DetectorParamSet(this);
        this.trainingParamSet = new TrainingParamSet(this, defaultSeed);
    }

    @Override
    public String uid() {
        return uid;
    }

    @Override
    public DetectorParamSet detectorParamSet() {
        return detectorParamSet;
    }

    @Override
    public TrainingParamSet trainingParamSet() {
        return trainingParamSet;
    }

    /** The detector's name in progress lines and logs ("autoencoder epoch 3/20, …"). */
    protected abstract String detectorName();

    /** The networks and the local training step for input of {@code numFeatures} features. */
    protected abstract LocalStep localStep(int numFeatures);

    /**
     * How the trained networks score a batch; training scores use it for the threshold and distribution.
     * {@code scales} is what {@link #errorScales} found, one per scored network: null for a detector that finds none.
     */
    protected abstract NetworksScore trainingScore(Training.Result result, List<ErrorScales> scales);

    /** The model of the trained networks, without params (the caller copies them); {@code scales} as above. */
    protected abstract M createModel(Training.Result result, Standardization standardization,
            TrainingScores.Summary scores, List<ErrorScales> scales);

    /**
     * What the score learns from the trained networks and the cached training rows before they are scored
     * (on the executors), or null for nothing, the default: the autoencoder's {@link ErrorScales}, one per
     * network it scores with.
     */
    protected List<ErrorScales> errorScales(SparkSession spark, JavaRDD<Minibatch> minibatches, LocalStep step,
            Training.Result result, int numFeatures) {
        return null;
    }

    /**
     * The usable training rows, one feature Vector each in column 0, after {@code handleInvalid}: the
     * {@code featuresCol} Vectors by default. A detector whose input is not a Vector per row (windows of
     * a series, images) shapes it here, on the executors.
     */
    protected TrainingRows trainingRows(Dataset<?> dataset) {
        return TrainingRows.select(dataset, getFeaturesCol(), getHandleInvalid());
    }

    /**
     * How the training rows are scaled before they reach the networks (kept in the model, which scales
     * the rows it scores the same way): per-feature standardization when {@code standardization} is on.
     */
    protected Standardization standardization(TrainingRows training) {
        return getStandardization()
                ? Standardization.fit(training.rows(), training.rows().columns()[0])
                : Standardization.identity(training.numFeatures());
    }

    @Override
    public M fit(Dataset<?> dataset) {
        return fit(dataset, Training.EpochListener.NONE);
    }

    /**
     * Fits like {@link #fit(Dataset)}, telling {@code listener} after every epoch; when it asks to stop,
     * the model keeps the network of that epoch (of the best epoch so far, with held-out rows).
     */
    public M fit(Dataset<?> dataset, Training.EpochListener listener) {
        transformSchema(dataset.schema());
        SparkSession spark = dataset.sparkSession();
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        TrainingRows training = trainingRows(dataset);
        int numFeatures = training.numFeatures();
        Standardization standardization = standardization(training);
        int workers = getNumWorkers() > 0 ? getNumWorkers() : sc.defaultParallelism();
        JavaRDD<Row> rows = training.rows().javaRDD();
        if (rows.getNumPartitions() != workers) {
            rows = rows.repartition(workers);
        }
        JavaRDD<Minibatch> minibatches = Minibatches.of(rows, standardization, getBatchSize(), getValidationFraction(), getSeed());
        LocalStep step = localStep(numFeatures);
        Training.Settings settings = new Training.Settings(detectorName(), getMaxIter(), getBatchSize(), workers,
                getAveragingFrequency(), getSeed(), getValidationFraction(), getPatience(), getMinSteps());
        minibatches.persist(Training.MINIBATCH_STORAGE);
        try {
            Training.Result result = train(sc, step, minibatches, settings, listener);
            long measuring = System.nanoTime();
            List<ErrorScales> scales = errorScales(spark, minibatches, step, result, numFeatures);
            long summarizing = System.nanoTime();
            TrainingScores.Summary scores = TrainingScores.summarize(TrainingScores.of(spark, minibatches, step,
                    NetworkStates.of(result.networks()), trainingScore(result, scales)), getContamination());
            long done = System.nanoTime();
            LOG.info(String.format(Locale.ROOT, "%s trained on %d features for %d epochs in %.1f s (kept epoch %d),"
                    + " final loss %.6g, validation loss %.6g, threshold %.6g; then %.1f s measuring the score's"
                    + " scales and %.1f s the training scores", detectorName(), numFeatures, result.epochs(),
                    result.seconds(), result.bestEpoch(), result.loss(), result.validationLoss(), scores.threshold(),
                    (summarizing - measuring) / 1e9, (done - summarizing) / 1e9));
            M model = createModel(result, standardization, scores, scales);
            copyValues(model, ParamMap.empty());
            return model.setParent(this);
        } finally {
            minibatches.unpersist(false);
        }
    }

    private Training.Result train(JavaSparkContext sc, LocalStep step, JavaRDD<Minibatch> minibatches,
            Training.Settings settings, Training.EpochListener listener) {
        if (Training.DL4J_SPARK.equals(getTrainingEngine())) {
            if (!(step instanceof SingleNetworkStep single)) {
                throw new IllegalArgumentException("trainingEngine 'dl4j-spark' trains one network with DL4J's fit, and "
                        + detectorName() + " trains more: set trainingEngine to 'averaging'");
            }
            return Dl4jSparkEngine.fit(sc, single, minibatches, settings, listener);
        }
        return AveragingEngine.fit(sc, step, minibatches, settings, listener);
    }

    @Override
    public T copy(ParamMap extra) {
        @SuppressWarnings("unchecked")
        T copy = (T) defaultCopy(extra);
        return copy;
    }
}
