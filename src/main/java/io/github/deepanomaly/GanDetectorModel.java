package io.github.deepanomaly;

import io.github.deepanomaly.core.DetectorParamSet;
import io.github.deepanomaly.core.SchemaChecks;
import io.github.deepanomaly.core.ScoringModel;
import io.github.deepanomaly.core.Standardization;
import io.github.deepanomaly.core.TrainingParamSet;
import io.github.deepanomaly.core.TrainingSummary;
import io.github.deepanomaly.io.JsonFile;
import io.github.deepanomaly.io.StageReader;
import io.github.deepanomaly.io.StageWriter;
import io.github.deepanomaly.nn.GanNetworks;
import io.github.deepanomaly.score.BatchScorer;
import io.github.deepanomaly.score.DenseForwardPass;
import io.github.deepanomaly.score.ExceedConfidence;
import io.github.deepanomaly.score.FeatureExplanation;
import io.github.deepanomaly.score.GanScore;
import io.github.deepanomaly.score.NetworkBytes;
import io.github.deepanomaly.score.NetworksScore;
import io.github.deepanomaly.score.ReconstructionError;
import io.github.deepanomaly.score.RowScorer;
import io.github.deepanomaly.score.ScoreDistribution;
import io.github.deepanomaly.score.ScoreNormalization;
import io.github.deepanomaly.score.ScoreOutputs;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Optional;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.ml.Model;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/**
 * A trained GAN detector: encoder, generator and discriminator. {@link #transform} appends the score of
 * {@code scoreMethod} as {@code scoreCol} and, when the model has a threshold, {@code predictionCol}; then, when
 * their params name them, {@code normalizedScoreCol}, {@code confidenceCol} and {@code explanationCol}, in that
 * order, as the autoencoder does. One forward pass per row (x → E → G → x̂, plus the discriminator's features
 * of x and x̂ when the score uses them), in plain Java inside a Spark expression. Lazy: it starts no Spark job.
 *
 * <p>The threshold, normalized score and confidence are those of the score method the model was trained with;
 * changing {@code scoreMethod} or {@code scoreWeight} on a trained model changes the scores, not the threshold.
 */
public class GanDetectorModel extends Model<GanDetectorModel>
        implements GanParams<GanDetectorModel>, ScoringModel, MLWritable {

    private static final String ENCODER_FILE = "encoder.zip";
    private static final String GENERATOR_FILE = "generator.zip";
    private static final String DISCRIMINATOR_FILE = "discriminator.zip";
    private static final String STATE_FILE = "state.json";

    private final String uid;
    private final DetectorParamSet detectorParamSet;
    private final TrainingParamSet trainingParamSet;
    private final GanParamSet ganParamSet;
    private final MultiLayerNetwork encoder;
    private final MultiLayerNetwork generator;
    private final MultiLayerNetwork discriminator;
    private final Standardization standardization;
    private final ScoreDistribution trainingScores;
    private double threshold;
    private TrainingSummary trainingSummary;

    /** What besides params and networks a saved model needs; the threshold is null when there is none. */
    record State(double[] mean, double[] scale, Double threshold, ScoreDistribution trainingScores) {
    }

    GanDetectorModel(String uid, MultiLayerNetwork encoder, MultiLayerNetwork generator,
            MultiLayerNetwork discriminator, Standardization standardization, double threshold,
            ScoreDistribution trainingScores) {
        this.uid = uid;
        this.detectorParamSet = new DetectorParamSet(this);
        this.trainingParamSet = new TrainingParamSet(this, GanParamSet.DEFAULT_SEED);
        this.ganParamSet = new GanParamSet(this);
        this.encoder = encoder;
        this.generator = generator;
        this.discriminator = discriminator;
        this.standardization = standardization;
        this.threshold = threshold;
        this.trainingScores = trainingScores;
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

    @Override
    public GanParamSet ganParamSet() {
        return ganParamSet;
    }

    @Override
    public int numFeatures() {
        return standardization.size();
    }

    @Override
    public double getThreshold() {
        return threshold;
    }

    /** Replaces the threshold learned from {@code contamination} (see {@link AutoencoderDetectorModel#setThreshold}). */
    public GanDetectorModel setThreshold(double value) {
        this.threshold = value;
        return this;
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

    public Standardization featureStandardization() {
        return standardization;
    }

    /** The training scores' quantile sketch, mean, standard deviation and count. */
    public Optional<ScoreDistribution> trainingScoreDistribution() {
        return Optional.of(trainingScores);
    }

    @Override
    public Optional<TrainingSummary> trainingSummary() {
        return Optional.ofNullable(trainingSummary);
    }

    GanDetectorModel withTrainingSummary(TrainingSummary summary) {
        this.trainingSummary = summary;
        return this;
    }

    private boolean hasThreshold() {
        return !Double.isNaN(threshold);
    }

    /** The discriminator score's share of the score that {@code params} ask for: 0, 1 or {@code scoreWeight}. */
    static double discriminatorShare(GanParams<?> params) {
        return switch (params.getScoreMethod()) {
            case GanParamSet.SCORE_RECONSTRUCTION -> 0;
            case GanParamSet.SCORE_DISCRIMINATOR -> 1;
            default -> params.getScoreWeight();
        };
    }

    /** The row score of these networks; its reconstruction pass alone when the discriminator has no share. */
    static GanScore score(MultiLayerNetwork encoder, MultiLayerNetwork generator, MultiLayerNetwork discriminator,
            double discriminatorShare) {
        DenseForwardPass reconstruction = DenseForwardPass.of(GanNetworks.reconstruction(encoder, generator));
        DenseForwardPass features = discriminatorShare > 0
                ? DenseForwardPass.of(GanNetworks.discriminatorFeatures(discriminator)) : null;
        return new GanScore(reconstruction, features, discriminatorShare);
    }

    /**
     * Row by row in plain Java, unless the score is the reconstruction error alone of a network too large for
     * that: then in batches through DL4J, as the autoencoder.
     */
    static boolean rowwise(GanScore score) {
        return score.weight() > 0 || score.multiplyAddsPerRow() <= RowScorer.MAX_MULTIPLY_ADDS;
    }

    /** How training scores its rows: the same passes as {@link #transform}, so the threshold matches its scores. */
    static NetworksScore rowScoring(MultiLayerNetwork encoder, MultiLayerNetwork generator,
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
     * Training scores of networks too large to score row by row: the encoder and generator of each executor's
     * networks stacked once, then DL4J's batched pass, as transform's {@link BatchScorer}.
     */
    private static final class BatchedReconstruction implements NetworksScore {
        private transient MultiLayerNetwork reconstruction;

        @Override
        public double[] scores(java.util.List<MultiLayerNetwork> networks, io.github.deepanomaly.train.Minibatch batch) {
            if (reconstruction == null) {
                reconstruction = GanNetworks.reconstruction(networks.get(GanNetworks.ENCODER),
                        networks.get(GanNetworks.GENERATOR));
            }
            return new ReconstructionError().scores(reconstruction, batch.values(), batch.shape());
        }
    }

    @Override
    public Dataset<Row> transform(Dataset<?> dataset) {
        transformSchema(dataset.schema());
        GanScore score = score(encoder, generator, discriminator, discriminatorShare(this));
        FeatureExplanation explanation = getExplanationCol().isEmpty() ? null : new FeatureExplanation(
                FeatureExplanation.featureNames(dataset.schema().apply(getFeaturesCol()), numFeatures()),
                getExplainTopK());
        // Appended under a name of its own and renamed last, so that it comes after the derived columns.
        String explanationCol = explanation == null ? "" : "__explanation_" + uid;
        Dataset<Row> scored;
        if (rowwise(score)) {
            scored = new RowScorer(score, standardization, getFeaturesCol(), getHandleInvalid())
                    .append(dataset.toDF(), getScoreCol(), explanation, explanationCol);
        } else {
            JavaSparkContext sc = JavaSparkContext.fromSparkContext(dataset.sparkSession().sparkContext());
            Broadcast<byte[]> networkBytes = sc.broadcast(NetworkBytes.toBytes(
                    GanNetworks.reconstruction(encoder, generator)));
            BatchScorer scorer = new BatchScorer(networkBytes, new ReconstructionError(), standardization,
                    dataset.schema().fieldIndex(getFeaturesCol()), getFeaturesCol(), getHandleInvalid(), explanation);
            scored = dataset.toDF().mapPartitions(scorer, Encoders.row(
                    BatchScorer.outputSchema(dataset.schema(), getScoreCol(), explanationCol)));
        }
        Dataset<Row> out = new ScoreOutputs(threshold, hasThreshold() ? getPredictionCol() : "", trainingScores,
                getNormalizedScoreCol().isEmpty() ? null : ScoreNormalization.byName(getNormalization()),
                getNormalizedScoreCol(),
                getConfidenceCol().isEmpty() ? null : ExceedConfidence.of(trainingScores.count(), getContamination()),
                getConfidenceCol()).appendTo(scored, getScoreCol());
        if (explanation != null) {
            out = out.withColumn(getExplanationCol(), SchemaChecks.column(explanationCol)).drop(explanationCol);
        }
        return out;
    }

    @Override
    public StructType transformSchema(StructType schema) {
        return AutoencoderDetectorModel.outputSchema(this, schema, hasThreshold());
    }

    @Override
    public GanDetectorModel copy(ParamMap extra) {
        GanDetectorModel copy = new GanDetectorModel(uid, encoder, generator, discriminator, standardization,
                threshold, trainingScores);
        copyValues(copy, extra);
        copy.trainingSummary = trainingSummary;
        return copy.setParent(parent());
    }

    @Override
    public MLWriter write() {
        return new StageWriter(this) {
            @Override
            protected void writeData(FileSystem fs, Path directory) throws IOException {
                write(fs, new Path(directory, ENCODER_FILE), encoder);
                write(fs, new Path(directory, GENERATOR_FILE), generator);
                write(fs, new Path(directory, DISCRIMINATOR_FILE), discriminator);
                JsonFile.write(fs, new Path(directory, STATE_FILE), new State(standardization.mean(),
                        standardization.scale(), hasThreshold() ? threshold : null, trainingScores));
            }

            private void write(FileSystem fs, Path file, MultiLayerNetwork network) throws IOException {
                try (OutputStream out = fs.create(file, false)) {
                    NetworkBytes.write(network, out);
                }
            }
        };
    }

    public static MLReader<GanDetectorModel> read() {
        return new StageReader<>(GanDetectorModel.class, GanDetectorModel::readData);
    }

    public static GanDetectorModel load(String path) {
        return read().load(path);
    }

    private static GanDetectorModel readData(String uid, FileSystem fs, Path directory) throws IOException {
        State state = JsonFile.read(fs, new Path(directory, STATE_FILE), State.class);
        return new GanDetectorModel(uid, network(fs, new Path(directory, ENCODER_FILE)),
                network(fs, new Path(directory, GENERATOR_FILE)), network(fs, new Path(directory, DISCRIMINATOR_FILE)),
                new Standardization(state.mean(), state.scale()),
                state.threshold() == null ? Double.NaN : state.threshold(), state.trainingScores());
    }

    private static MultiLayerNetwork network(FileSystem fs, Path file) throws IOException {
        try (InputStream in = fs.open(file)) {
            return NetworkBytes.read(in);
        }
    }
}
