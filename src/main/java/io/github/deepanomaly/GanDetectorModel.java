package io.github.deepanomaly;

import io.github.deepanomaly.core.AnomalyDetectorModel;
import io.github.deepanomaly.core.Standardization;
import io.github.deepanomaly.io.StageReader;
import io.github.deepanomaly.nn.GanNetworks;
import io.github.deepanomaly.score.BatchScorer;
import io.github.deepanomaly.score.DenseForwardPass;
import io.github.deepanomaly.score.FeatureExplanation;
import io.github.deepanomaly.score.GanScore;
import io.github.deepanomaly.score.NetworkBytes;
import io.github.deepanomaly.score.NetworksScore;
import io.github.deepanomaly.score.ReconstructionError;
import io.github.deepanomaly.score.RowScorer;
import io.github.deepanomaly.score.ScoreDistribution;
import io.github.deepanomaly.train.Minibatch;
import java.io.IOException;
import java.util.List;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Encoders;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/**
 * A trained GAN detector: encoder, generator and discriminator. Scores each row by {@code scoreMethod}, comparing
 * it with its counterpart G(E(x)) (see {@link AnomalyDetectorModel} for the columns transform appends): one
 * forward pass per row, x → E → G → x̂ (plus the discriminator's features of x and x̂ when the score uses them),
 * in plain Java inside a Spark expression. The explanation is each feature's share of the reconstruction error,
 * scaled to the score.
 *
 * <p>The threshold, normalized score and confidence belong to the score method the model was trained with:
 * setting another {@code scoreMethod} or {@code scoreWeight} on a trained model changes its scores, not them.
 */
public class GanDetectorModel extends AnomalyDetectorModel<GanDetectorModel> implements GanParams<GanDetectorModel> {

    private static final String ENCODER_FILE = "encoder.zip";
    private static final String GENERATOR_FILE = "generator.zip";
    private static final String DISCRIMINATOR_FILE = "discriminator.zip";

    private final GanParamSet ganParamSet;
    private final MultiLayerNetwork encoder;
    private final MultiLayerNetwork generator;
    private final MultiLayerNetwork discriminator;

    GanDetectorModel(String uid, MultiLayerNetwork encoder, MultiLayerNetwork generator,
            MultiLayerNetwork discriminator, Standardization standardization, double threshold,
            ScoreDistribution trainingScores) {
        super(uid, GanParamSet.DEFAULT_SEED, standardization, threshold, trainingScores);
        this.ganParamSet = new GanParamSet(this);
        this.encoder = encoder;
        this.generator = generator;
        this.discriminator = discriminator;
    }

    @Override
    public GanParamSet ganParamSet() {
        return ganParamSet;
    }

    /** The trained encoder x → z (a copy). */
    public MultiLayerNetwork encoder() {
        return encoder.clone();
    }

    /** The trained generator z → x (a copy). */
    public MultiLayerNetwork generator() {
        return generator.clone();
    }

    /** The trained discriminator x → logit of "real" (a copy). */
    public MultiLayerNetwork discriminator() {
        return discriminator.clone();
    }

    /** The discriminator score's share of the score that {@code params} ask for: 0, 1 or {@code scoreWeight}. */
    static double discriminatorShare(GanParams<?> params) {
        return switch (params.getScoreMethod()) {
            case GanParamSet.SCORE_RECONSTRUCTION -> 0;
            case GanParamSet.SCORE_DISCRIMINATOR -> 1;
            default -> params.getScoreWeight();
        };
    }

    /** The row score of these networks; the reconstruction pass alone when the discriminator has no share. */
    static GanScore score(MultiLayerNetwork encoder, MultiLayerNetwork generator, MultiLayerNetwork discriminator,
            double discriminatorShare) {
        DenseForwardPass reconstruction = DenseForwardPass.of(GanNetworks.reconstruction(encoder, generator));
        DenseForwardPass features = discriminatorShare > 0
                ? DenseForwardPass.of(GanNetworks.discriminatorFeatures(discriminator)) : null;
        return new GanScore(reconstruction, features, discriminatorShare);
    }

    /**
     * Row by row in plain Java, unless the score is the reconstruction error alone of a network too large for
     * that: then in batches through DL4J, as the autoencoder's.
     */
    static boolean rowwise(GanScore score) {
        return score.weight() > 0 || score.multiplyAddsPerRow() <= RowScorer.MAX_MULTIPLY_ADDS;
    }

    /** How training scores its rows: the passes of {@link #scorer}, so that the threshold fits its scores. */
    static NetworksScore trainingScore(MultiLayerNetwork encoder, MultiLayerNetwork generator,
            MultiLayerNetwork discriminator, double discriminatorShare) {
        GanScore score = score(encoder, generator, discriminator, discriminatorShare);
        if (!rowwise(score)) {
            return new BatchedReconstruction();
        }
        return (networks, batch) -> {
            int rows = batch.rows();
            int width = score.inputSize();
            double[] scores = new double[rows];
            float[] row = new float[width];
            for (int i = 0; i < rows; i++) {
                System.arraycopy(batch.values(), i * width, row, 0, width);
                scores[i] = score.score(row);
            }
            return scores;
        };
    }

    /**
     * Training scores of networks too large to score row by row: each executor's encoder and generator stacked
     * once, then DL4J's batched pass, as transform's {@link BatchScorer}.
     */
    private static final class BatchedReconstruction implements NetworksScore {
        private transient MultiLayerNetwork reconstruction;

        @Override
        public double[] scores(List<MultiLayerNetwork> networks, Minibatch batch) {
            if (reconstruction == null) {
                reconstruction = GanNetworks.reconstruction(networks.get(GanNetworks.ENCODER),
                        networks.get(GanNetworks.GENERATOR));
            }
            return new ReconstructionError().scores(reconstruction, batch.values(), batch.shape());
        }
    }

    @Override
    protected Scorer scorer() {
        GanScore score = score(encoder, generator, discriminator, discriminatorShare(this));
        return (dataset, explanationCol) -> {
            FeatureExplanation explanation = explanationCol.isEmpty() ? null : new FeatureExplanation(
                    FeatureExplanation.featureNames(dataset.schema().apply(getFeaturesCol()), numFeatures()),
                    getExplainTopK());
            if (rowwise(score)) {
                return new RowScorer(score, featureStandardization(), getFeaturesCol(), getHandleInvalid())
                        .append(dataset.toDF(), getScoreCol(), explanation, explanationCol);
            }
            JavaSparkContext sc = JavaSparkContext.fromSparkContext(dataset.sparkSession().sparkContext());
            Broadcast<byte[][]> networkBytes = NetworkBytes.broadcast(sc,
                    List.of(GanNetworks.reconstruction(encoder, generator)));
            BatchScorer scorer = new BatchScorer(networkBytes, List.of(new ReconstructionError()), featureStandardization(),
                    dataset.schema().fieldIndex(getFeaturesCol()), getFeaturesCol(), getHandleInvalid(), explanation);
            return dataset.toDF().mapPartitions(scorer, Encoders.row(
                    BatchScorer.outputSchema(dataset.schema(), getScoreCol(), explanationCol)));
        };
    }

    @Override
    public GanDetectorModel copy(ParamMap extra) {
        return copyTo(new GanDetectorModel(uid(), encoder, generator, discriminator, featureStandardization(),
                getThreshold(), trainingScoreDistribution().orElse(null)), extra);
    }

    @Override
    protected void writeNetworks(FileSystem fs, Path directory) throws IOException {
        writeNetwork(fs, directory, ENCODER_FILE, encoder);
        writeNetwork(fs, directory, GENERATOR_FILE, generator);
        writeNetwork(fs, directory, DISCRIMINATOR_FILE, discriminator);
    }

    public static MLReader<GanDetectorModel> read() {
        return new StageReader<>(GanDetectorModel.class, GanDetectorModel::readData);
    }

    public static GanDetectorModel load(String path) {
        return read().load(path);
    }

    private static GanDetectorModel readData(String uid, FileSystem fs, Path directory) throws IOException {
        State state = readState(fs, directory);
        return new GanDetectorModel(uid, readNetwork(fs, directory, ENCODER_FILE),
                readNetwork(fs, directory, GENERATOR_FILE), readNetwork(fs, directory, DISCRIMINATOR_FILE),
                state.standardization(), state.thresholdOrNaN(), state.trainingScores());
    }
}
