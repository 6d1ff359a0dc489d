package io.github.deepanomaly;

import io.github.deepanomaly.core.AnomalyDetector;
import io.github.deepanomaly.core.AnomalyDetectorModel;
import io.github.deepanomaly.core.SchemaChecks;
import io.github.deepanomaly.core.Standardization;
import io.github.deepanomaly.core.TrainingSummary;
import io.github.deepanomaly.io.StageReader;
import io.github.deepanomaly.io.StageWriter;
import io.github.deepanomaly.nn.GanNetworks;
import io.github.deepanomaly.nn.GanStep;
import io.github.deepanomaly.score.ErrorScales;
import io.github.deepanomaly.score.FeatureExplanation;
import io.github.deepanomaly.score.NetworksScore;
import io.github.deepanomaly.score.TrainingScores;
import io.github.deepanomaly.train.LocalStep;
import io.github.deepanomaly.train.Training;
import java.util.List;
import org.apache.spark.ml.util.Identifiable$;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.types.StructType;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/**
 * GAN-based anomaly detector for tabular data: an encoder E and a generator G learn to reproduce the
 * (standardized) training rows as G(E(x)), pushed by a discriminator D that learns to tell real rows from
 * reproduced ones and from rows G generates out of random codes; a row is scored by comparing it with its
 * counterpart G(E(x)) ({@code scoreMethod}). All three networks, with their Adam states, are trained on the
 * executors and averaged together every round; rows never reach the driver.
 */
public class GanDetector extends AnomalyDetector<GanDetectorModel, GanDetector>
        implements GanParams<GanDetector>, MLWritable {

    private final GanParamSet ganParamSet;

    public GanDetector(String uid) {
        super(uid, GanParamSet.DEFAULT_SEED);
        this.ganParamSet = new GanParamSet(this);
    }

    public GanDetector() {
        this(Identifiable$.MODULE$.randomUID("ganDetector"));
    }

    @Override
    public GanParamSet ganParamSet() {
        return ganParamSet;
    }

    @Override
    protected String detectorName() {
        return "gan";
    }

    @Override
    protected LocalStep localStep(int numFeatures) {
        return new GanStep(numFeatures, GanNetworks.encoderSizes(numFeatures, getHiddenLayers(), getLatentSize()),
                getActivation(), getStepSize(), getDiscriminatorStepSize(), getDiscriminatorSteps(),
                getAdversarialWeight(), getLabelSmoothing(), getTrimFraction(), getSeed());
    }

    @Override
    protected NetworksScore trainingScore(Training.Result result, List<ErrorScales> scales) {
        List<MultiLayerNetwork> networks = result.networks();
        return GanDetectorModel.trainingScore(networks.get(GanNetworks.ENCODER), networks.get(GanNetworks.GENERATOR),
                networks.get(GanNetworks.DISCRIMINATOR), GanDetectorModel.discriminatorShare(this));
    }

    @Override
    protected GanDetectorModel createModel(Training.Result result, Standardization standardization,
            TrainingScores.Summary scores, List<ErrorScales> scales) {
        List<MultiLayerNetwork> networks = result.networks();
        return new GanDetectorModel(uid(), networks.get(GanNetworks.ENCODER), networks.get(GanNetworks.GENERATOR),
                networks.get(GanNetworks.DISCRIMINATOR), standardization, scores.threshold(), scores.distribution())
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

    public static MLReader<GanDetector> read() {
        return new StageReader<>(GanDetector.class, (uid, fs, dir) -> new GanDetector(uid));
    }

    public static GanDetector load(String path) {
        return read().load(path);
    }
}
