package io.github.deepanomaly;

import io.github.deepanomaly.core.AnomalyDetector;
import io.github.deepanomaly.core.AnomalyDetectorModel;
import io.github.deepanomaly.core.SchemaChecks;
import io.github.deepanomaly.core.Standardization;
import io.github.deepanomaly.core.TrainingSummary;
import io.github.deepanomaly.io.StageReader;
import io.github.deepanomaly.io.StageWriter;
import io.github.deepanomaly.nn.AutoencoderStep;
import io.github.deepanomaly.score.FeatureExplanation;
import io.github.deepanomaly.score.ErrorScales;
import io.github.deepanomaly.score.NetworksScore;
import io.github.deepanomaly.score.ReconstructionPasses;
import io.github.deepanomaly.score.ReconstructionScore;
import io.github.deepanomaly.score.TrainingScores;
import io.github.deepanomaly.train.LocalStep;
import io.github.deepanomaly.train.Minibatch;
import io.github.deepanomaly.train.NetworkStates;
import io.github.deepanomaly.train.Training;
import java.util.Collections;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.ml.util.Identifiable$;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;

/**
 * Dense autoencoder anomaly detector for tabular data: learns to reconstruct the (standardized)
 * training rows and scores each row by its reconstruction error. Trained on the executors with
 * parameter averaging; rows never reach the driver.
 */
public class AutoencoderDetector extends AnomalyDetector<AutoencoderDetectorModel, AutoencoderDetector>
        implements AutoencoderParams<AutoencoderDetector>, MLWritable {

    private final AutoencoderParamSet autoencoderParamSet;

    public AutoencoderDetector(String uid) {
        super(uid, AutoencoderParamSet.DEFAULT_SEED);
        this.autoencoderParamSet = new AutoencoderParamSet(this);
        AutoencoderParamSet.setSharedDefaults(this);
    }

    public AutoencoderDetector() {
        this(Identifiable$.MODULE$.randomUID("autoencoderDetector"));
    }

    @Override
    public AutoencoderParamSet autoencoderParamSet() {
        return autoencoderParamSet;
    }

    @Override
    protected String detectorName() {
        return "autoencoder";
    }

    @Override
    protected LocalStep localStep(int numFeatures) {
        return new AutoencoderStep(numFeatures, getHiddenLayers(), getActivation(), getStepSize(), getSeed(),
                getTrimFraction(), getInputNoise(), trainsPlainNetwork(), getWeightedTrim());
    }

    /**
     * As {@link AnomalyDetector#fit(Dataset, Training.EpochListener)}; refuses a trim or input noise dl4j-spark
     * cannot do.
     */
    @Override
    public AutoencoderDetectorModel fit(Dataset<?> dataset, Training.EpochListener listener) {
        if (Training.DL4J_SPARK.equals(getTrainingEngine()) && (getTrimFraction() > 0 || getInputNoise() > 0)) {
            throw new IllegalArgumentException("trainingEngine 'dl4j-spark' trains on fixed minibatches and can neither"
                    + " leave out the rows reconstructed worst nor add fresh noise to them: set trimFraction and"
                    + " inputNoise to 0, or trainingEngine to 'averaging'");
        }
        return super.fit(dataset, listener);
    }

    /**
     * Each feature's median squared error, per network, when {@code errorScaling} is 'median' or 'balanced': one
     * more pass over the cached rows. With the plain network beside the denoising one, each network's typical
     * score as well, which its score is divided by before the two are averaged: a second pass.
     */
    @Override
    protected List<ErrorScales> errorScales(SparkSession spark, JavaRDD<Minibatch> minibatches, LocalStep step,
            Training.Result result, int numFeatures) {
        boolean unscaled = AutoencoderParamSet.ERROR_SCALING_NONE.equals(getErrorScaling());
        int count = result.networks().size();
        if (unscaled && count == 1) {
            return null;
        }
        NetworkStates states = NetworkStates.of(result.networks());
        List<ErrorScales> scales = unscaled ? Collections.nCopies(count, ErrorScales.unscaled(numFeatures))
                : ErrorScales.medians(spark, minibatches, step, states, numFeatures,
                        AutoencoderParamSet.ERROR_SCALING_BALANCED.equals(getErrorScaling()), getErrorLimit(),
                        passes(count));
        return count == 1 ? scales
                : ErrorScales.withTypicalScores(spark, minibatches, step, states, scales, passes(count));
    }

    /** The denoising network reconstructs in {@code denoisingPasses}, a plain one (first without noise) in one. */
    private ReconstructionPasses passes(int networks) {
        return getInputNoise() > 0 ? ReconstructionPasses.firstTimes(getDenoisingPasses(), networks)
                : ReconstructionPasses.once(networks);
    }

    @Override
    protected NetworksScore trainingScore(Training.Result result, List<ErrorScales> scales) {
        return ReconstructionScore.of(result.networks(), scales, passes(result.networks().size())).trainingScore();
    }

    @Override
    protected AutoencoderDetectorModel createModel(Training.Result result, Standardization standardization,
            TrainingScores.Summary scores, List<ErrorScales> scales) {
        return new AutoencoderDetectorModel(uid(), result.networks(), standardization, scales,
                passes(result.networks().size()), scores.threshold(), scores.distribution())
                .withTrainingSummary(TrainingSummary.of(result));
    }

    @Override
    public StructType transformSchema(StructType schema) {
        SchemaChecks.requireVectorColumn(schema, getFeaturesCol());
        return AnomalyDetectorModel.outputSchema(this, schema, getContamination() > 0, FeatureExplanation.TYPE);
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
