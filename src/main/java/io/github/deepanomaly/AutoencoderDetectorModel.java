package io.github.deepanomaly;

import io.github.deepanomaly.core.DetectorParamSet;
import io.github.deepanomaly.core.DetectorParams;
import io.github.deepanomaly.core.SchemaChecks;
import io.github.deepanomaly.core.ScoringModel;
import io.github.deepanomaly.core.Standardization;
import io.github.deepanomaly.core.TrainingParamSet;
import io.github.deepanomaly.core.TrainingSummary;
import io.github.deepanomaly.io.JsonFile;
import io.github.deepanomaly.io.StageReader;
import io.github.deepanomaly.io.StageWriter;
import io.github.deepanomaly.score.BatchScorer;
import io.github.deepanomaly.score.DenseForwardPass;
import io.github.deepanomaly.score.ExceedConfidence;
import io.github.deepanomaly.score.FeatureExplanation;
import io.github.deepanomaly.score.NetworkBytes;
import io.github.deepanomaly.score.ReconstructionError;
import io.github.deepanomaly.score.RowScorer;
import io.github.deepanomaly.score.ScoreOutputs;
import io.github.deepanomaly.score.ScoreDistribution;
import io.github.deepanomaly.score.ScoreNormalization;
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
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/**
 * A trained dense autoencoder. {@link #transform} appends the reconstruction error as {@code scoreCol}
 * and, when the model has a threshold, {@code predictionCol} (1.0 when score ≥ threshold); then, when
 * their params name them, {@code normalizedScoreCol}, {@code confidenceCol} and {@code explanationCol},
 * in that order. Lazy: it starts no Spark job, so it also works on streaming DataFrames.
 */
public class AutoencoderDetectorModel extends Model<AutoencoderDetectorModel>
        implements AutoencoderParams<AutoencoderDetectorModel>, ScoringModel, MLWritable {

    private static final String NETWORK_FILE = "network.zip";
    private static final String STATE_FILE = "state.json";

    private final String uid;
    private final DetectorParamSet detectorParamSet;
    private final TrainingParamSet trainingParamSet;
    private final AutoencoderParamSet autoencoderParamSet;
    private final MultiLayerNetwork network;
    private final Standardization standardization;
    private final ScoreDistribution trainingScores;
    private double threshold;
    private TrainingSummary trainingSummary;

    /**
     * What besides params and the network a saved model needs. The threshold is null when there is none;
     * the training scores are null in models saved before they were kept.
     */
    record State(double[] mean, double[] scale, Double threshold, ScoreDistribution trainingScores) {
    }

    /** @param trainingScores null only for models saved before the distribution was kept */
    AutoencoderDetectorModel(String uid, MultiLayerNetwork network, Standardization standardization,
            double threshold, ScoreDistribution trainingScores) {
        this.uid = uid;
        this.detectorParamSet = new DetectorParamSet(this);
        this.trainingParamSet = new TrainingParamSet(this, AutoencoderParamSet.DEFAULT_SEED);
        this.autoencoderParamSet = new AutoencoderParamSet(this);
        this.network = network;
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
    public AutoencoderParamSet autoencoderParamSet() {
        return autoencoderParamSet;
    }

    @Override
    public int numFeatures() {
        return standardization.size();
    }

    @Override
    public double getThreshold() {
        return threshold;
    }

    /**
     * Replaces the threshold learned from {@code contamination}, e.g. with one picked on labelled data.
     * Confidence (ExCeeD) still expects n·contamination anomalies among n training rows: to keep it in
     * line with the new threshold, set contamination to the share of training rows above it, about
     * {@code 1 - trainingScoreDistribution().get().cdf(value)}.
     */
    public AutoencoderDetectorModel setThreshold(double value) {
        this.threshold = value;
        return this;
    }

    /** The trained DL4J network (a copy: changing it does not change the model). */
    public MultiLayerNetwork network() {
        return network.clone();
    }

    public Standardization featureStandardization() {
        return standardization;
    }

    /**
     * The training scores' quantile sketch, mean, standard deviation and count, which normalized scores
     * and confidence are computed against; empty for a model saved before the library kept them.
     */
    public Optional<ScoreDistribution> trainingScoreDistribution() {
        return Optional.ofNullable(trainingScores);
    }

    @Override
    public Optional<TrainingSummary> trainingSummary() {
        return Optional.ofNullable(trainingSummary);
    }

    AutoencoderDetectorModel withTrainingSummary(TrainingSummary summary) {
        this.trainingSummary = summary;
        return this;
    }

    private boolean hasThreshold() {
        return !Double.isNaN(threshold);
    }

    @Override
    public Dataset<Row> transform(Dataset<?> dataset) {
        DenseForwardPass pass = DenseForwardPass.of(network);
        return transform(dataset, pass, RowScorer.suits(pass));
    }

    /**
     * Scores row by row through column expressions ({@link RowScorer}) or in batches through DL4J
     * ({@link BatchScorer}); both give the same columns, and the same scores up to float rounding.
     */
    Dataset<Row> transform(Dataset<?> dataset, DenseForwardPass pass, boolean rowwise) {
        transformSchema(dataset.schema());
        FeatureExplanation explanation = getExplanationCol().isEmpty() ? null : new FeatureExplanation(
                FeatureExplanation.featureNames(dataset.schema().apply(getFeaturesCol()), numFeatures()),
                getExplainTopK());
        // Appended under a name of its own and renamed last, so that it comes after the derived columns.
        String explanationCol = explanation == null ? "" : "__explanation_" + uid;
        Dataset<Row> scored;
        if (rowwise) {
            scored = new RowScorer(pass, standardization, getFeaturesCol(), getHandleInvalid())
                    .append(dataset.toDF(), getScoreCol(), explanation, explanationCol);
        } else {
            JavaSparkContext sc = JavaSparkContext.fromSparkContext(dataset.sparkSession().sparkContext());
            Broadcast<byte[]> networkBytes = sc.broadcast(NetworkBytes.toBytes(network));
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
        if (trainingScores == null && !(getNormalizedScoreCol().isEmpty() && getConfidenceCol().isEmpty())) {
            throw new IllegalArgumentException("This model was saved without its training score distribution (by"
                    + " an earlier version of the library), which normalizedScoreCol and confidenceCol need; fit"
                    + " it again, or leave both empty");
        }
        return outputSchema(this, schema, hasThreshold());
    }

    /**
     * The input schema plus the score column and the optional columns, in the order transform appends
     * them. Each new column must be absent from the input and from the columns added before it.
     */
    static StructType outputSchema(DetectorParams<?> params, StructType schema, boolean hasThreshold) {
        SchemaChecks.requireVectorColumn(schema, params.getFeaturesCol());
        StructType out = withColumn(schema, params.getScoreCol(), "scoreCol", DataTypes.DoubleType);
        if (hasThreshold && !params.getPredictionCol().isEmpty()) {
            out = withColumn(out, params.getPredictionCol(), "predictionCol", DataTypes.DoubleType);
        }
        if (!params.getNormalizedScoreCol().isEmpty()) {
            out = withColumn(out, params.getNormalizedScoreCol(), "normalizedScoreCol", DataTypes.DoubleType);
        }
        if (!params.getConfidenceCol().isEmpty()) {
            if (!hasThreshold || params.getContamination() <= 0) {
                throw new IllegalArgumentException("confidenceCol needs a threshold and contamination > 0 (the"
                        + " expected share of anomalies ExCeeD counts with); set contamination, or leave"
                        + " confidenceCol empty");
            }
            out = withColumn(out, params.getConfidenceCol(), "confidenceCol", DataTypes.DoubleType);
        }
        if (!params.getExplanationCol().isEmpty()) {
            out = withColumn(out, params.getExplanationCol(), "explanationCol", FeatureExplanation.TYPE);
        }
        return out;
    }

    private static StructType withColumn(StructType schema, String column, String paramName, DataType type) {
        SchemaChecks.requireAbsent(schema, column, paramName);
        return schema.add(column, type, true);
    }

    @Override
    public AutoencoderDetectorModel copy(ParamMap extra) {
        AutoencoderDetectorModel copy = new AutoencoderDetectorModel(uid, network, standardization, threshold,
                trainingScores);
        copyValues(copy, extra);
        copy.trainingSummary = trainingSummary;
        return copy.setParent(parent());
    }

    @Override
    public MLWriter write() {
        return new StageWriter(this) {
            @Override
            protected void writeData(FileSystem fs, Path directory) throws IOException {
                try (OutputStream out = fs.create(new Path(directory, NETWORK_FILE), false)) {
                    NetworkBytes.write(network, out);
                }
                JsonFile.write(fs, new Path(directory, STATE_FILE), new State(standardization.mean(),
                        standardization.scale(), hasThreshold() ? threshold : null, trainingScores));
            }
        };
    }

    public static MLReader<AutoencoderDetectorModel> read() {
        return new StageReader<>(AutoencoderDetectorModel.class, AutoencoderDetectorModel::readData);
    }

    public static AutoencoderDetectorModel load(String path) {
        return read().load(path);
    }

    private static AutoencoderDetectorModel readData(String uid, FileSystem fs, Path directory) throws IOException {
        State state = JsonFile.read(fs, new Path(directory, STATE_FILE), State.class);
        MultiLayerNetwork network;
        try (InputStream in = fs.open(new Path(directory, NETWORK_FILE))) {
            network = NetworkBytes.read(in);
        }
        return new AutoencoderDetectorModel(uid, network, new Standardization(state.mean(), state.scale()),
                state.threshold() == null ? Double.NaN : state.threshold(), state.trainingScores());
    }
}
