package io.github.deepanomaly;

import io.github.deepanomaly.core.DetectorParamSet;
import io.github.deepanomaly.core.Standardization;
import io.github.deepanomaly.core.TrainingRows;
import io.github.deepanomaly.io.StageReader;
import io.github.deepanomaly.io.StageWriter;
import io.github.deepanomaly.nn.Activations;
import io.github.deepanomaly.nn.DenseAutoencoderNetwork;
import io.github.deepanomaly.score.ReconstructionError;
import io.github.deepanomaly.score.TrainingScores;
import io.github.deepanomaly.train.Minibatches;
import io.github.deepanomaly.train.ParameterAveragingTrainer;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.Estimator;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.Identifiable$;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.dataset.DataSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Dense autoencoder anomaly detector for tabular data: learns to reconstruct the (standardized)
 * training rows and scores each row by its reconstruction error. Trained on the executors with
 * parameter averaging; rows never reach the driver.
 */
public class AutoencoderDetector extends Estimator<AutoencoderDetectorModel>
        implements AutoencoderParams<AutoencoderDetector>, MLWritable {
    private static final Logger LOG = LoggerFactory.getLogger(AutoencoderDetector.class);

    private final String uid;
    private final DetectorParamSet detectorParamSet;
    private final AutoencoderParamSet autoencoderParamSet;

    public AutoencoderDetector(String uid) {
        this.uid = uid;
        this.detectorParamSet = new DetectorParamSet(this);
        this.autoencoderParamSet = new AutoencoderParamSet(this);
    }

    public AutoencoderDetector() {
        this(Identifiable$.MODULE$.randomUID("autoencoderDetector"));
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
    public AutoencoderParamSet autoencoderParamSet() {
        return autoencoderParamSet;
    }

    @Override
    public AutoencoderDetectorModel fit(Dataset<?> dataset) {
        return fit(dataset, ParameterAveragingTrainer.EpochListener.NONE);
    }

    /**
     * Fits like {@link #fit(Dataset)}, telling {@code listener} after every epoch; when it asks to stop,
     * the model keeps the network of that epoch (and its threshold is computed from that network).
     */
    public AutoencoderDetectorModel fit(Dataset<?> dataset, ParameterAveragingTrainer.EpochListener listener) {
        transformSchema(dataset.schema());
        SparkSession spark = dataset.sparkSession();
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        TrainingRows training = TrainingRows.select(dataset, getFeaturesCol(), getHandleInvalid());
        int numFeatures = training.numFeatures();
        Standardization standardization = getStandardization()
                ? Standardization.fit(training.rows(), getFeaturesCol())
                : Standardization.identity(numFeatures);
        int workers = getNumWorkers() > 0 ? getNumWorkers() : sc.defaultParallelism();
        JavaRDD<Row> rows = training.rows().javaRDD();
        if (rows.getNumPartitions() != workers) {
            rows = rows.repartition(workers);
        }
        JavaRDD<DataSet> minibatches = Minibatches.reconstructionTargets(rows, standardization, getBatchSize());
        MultiLayerNetwork network = DenseAutoencoderNetwork.build(numFeatures, getHiddenLayers(),
                Activations.byName(getActivation()), getStepSize(), getSeed());
        ParameterAveragingTrainer.Settings settings = new ParameterAveragingTrainer.Settings("autoencoder",
                getMaxIter(), getBatchSize(), workers, getAveragingFrequency(), getSeed());
        minibatches.persist(ParameterAveragingTrainer.MINIBATCH_STORAGE);
        try {
            ParameterAveragingTrainer.Result result = ParameterAveragingTrainer.fit(sc, network, minibatches,
                    settings, listener);
            TrainingScores.Summary scores = TrainingScores.summarize(
                    TrainingScores.of(spark, minibatches, result.network(),
                            ReconstructionError.likeTransform(result.network())),
                    getContamination());
            LOG.info(String.format("autoencoder trained on %d features for %d epochs in %.1f s, final loss %.6g,"
                    + " threshold %.6g", numFeatures, result.epochs(), result.seconds(), result.loss(),
                    scores.threshold()));
            AutoencoderDetectorModel model = new AutoencoderDetectorModel(uid, result.network(), standardization,
                    scores.threshold(), scores.distribution());
            copyValues(model, ParamMap.empty());
            model.setParent(this);
            return model;
        } finally {
            minibatches.unpersist(false);
        }
    }

    @Override
    public StructType transformSchema(StructType schema) {
        return AutoencoderDetectorModel.outputSchema(this, schema, getContamination() > 0);
    }

    @Override
    public AutoencoderDetector copy(ParamMap extra) {
        return defaultCopy(extra);
    }

    @Override
    public MLWriter write() {
        return new StageWriter(this);
    }

    public static MLReader<AutoencoderDetector> read() {
        return new StageReader<>(AutoencoderDetector.class, (uid, fs, dir) -> new AutoencoderDetector(uid));
    }

    public static AutoencoderDetector load(String path) {
        return read().load(path);
    }
}
