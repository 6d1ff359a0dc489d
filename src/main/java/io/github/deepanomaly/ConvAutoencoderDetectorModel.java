package io.github.deepanomaly;

import io.github.deepanomaly.core.DetectorParamSet;
import io.github.deepanomaly.core.DetectorParams;
import io.github.deepanomaly.core.SchemaChecks;
import io.github.deepanomaly.core.ScoringModel;
import io.github.deepanomaly.core.Standardization;
import io.github.deepanomaly.core.TrainingParamSet;
import io.github.deepanomaly.core.TrainingSummary;
import io.github.deepanomaly.image.ImageColumn;
import io.github.deepanomaly.image.ImagePixels;
import io.github.deepanomaly.io.JsonFile;
import io.github.deepanomaly.io.StageReader;
import io.github.deepanomaly.io.StageWriter;
import io.github.deepanomaly.score.BatchScorer;
import io.github.deepanomaly.score.ExceedConfidence;
import io.github.deepanomaly.score.NetworkBytes;
import io.github.deepanomaly.score.PixelHeatmap;
import io.github.deepanomaly.score.ReconstructionError;
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
import org.apache.spark.ml.linalg.SQLDataTypes;
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
 * A trained convolutional autoencoder. {@link #transform} appends the reconstruction error as
 * {@code scoreCol} and, when the model has a threshold, {@code predictionCol}; then, when their params
 * name them, {@code normalizedScoreCol}, {@code confidenceCol} and {@code explanationCol}, the heatmap: a
 * Vector of every pixel's squared error, channel first (see {@link io.github.deepanomaly.image.ImageShape}).
 * Scores in batches through DL4J on the executors; lazy, so it also works on streaming DataFrames.
 */
public class ConvAutoencoderDetectorModel extends Model<ConvAutoencoderDetectorModel>
        implements ConvAutoencoderParams<ConvAutoencoderDetectorModel>, ScoringModel, MLWritable {

    /**
     * Images per forward pass when scoring: the activations of a batch take about rows x filters x pixels x
     * 4 bytes per layer (256 MNIST images through 32 filters: 26 MB), small next to ND4J's default off-heap
     * limit, while a DL4J call's overhead is already negligible at this size.
     */
    static final int SCORE_BATCH_ROWS = 256;
    private static final String NETWORK_FILE = "network.zip";
    private static final String STATE_FILE = "state.json";

    private final String uid;
    private final DetectorParamSet detectorParamSet;
    private final TrainingParamSet trainingParamSet;
    private final ConvAutoencoderParamSet convParamSet;
    private final MultiLayerNetwork network;
    private final Standardization standardization;
    private final ScoreDistribution trainingScores;
    private double threshold;
    private TrainingSummary trainingSummary;

    /** What besides params and the network a saved model needs; the threshold is null when there is none. */
    record State(double[] mean, double[] scale, Double threshold, ScoreDistribution trainingScores) {
    }

    ConvAutoencoderDetectorModel(String uid, MultiLayerNetwork network, Standardization standardization,
            double threshold, ScoreDistribution trainingScores) {
        this.uid = uid;
        this.detectorParamSet = new DetectorParamSet(this);
        this.trainingParamSet = new TrainingParamSet(this, ConvAutoencoderParamSet.DEFAULT_SEED);
        this.convParamSet = new ConvAutoencoderParamSet(this);
        ConvAutoencoderParamSet.setSharedDefaults(this);
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
    public ConvAutoencoderParamSet convAutoencoderParamSet() {
        return convParamSet;
    }

    @Override
    public int numFeatures() {
        return standardization.size();
    }

    @Override
    public double getThreshold() {
        return threshold;
    }

    /** Replaces the threshold learned from {@code contamination}, e.g. with one picked on labelled data. */
    public ConvAutoencoderDetectorModel setThreshold(double value) {
        this.threshold = value;
        return this;
    }

    /** The trained DL4J network (a copy: changing it does not change the model). */
    public MultiLayerNetwork network() {
        return network.clone();
    }

    public Optional<ScoreDistribution> trainingScoreDistribution() {
        return Optional.ofNullable(trainingScores);
    }

    @Override
    public Optional<TrainingSummary> trainingSummary() {
        return Optional.ofNullable(trainingSummary);
    }

    ConvAutoencoderDetectorModel withTrainingSummary(TrainingSummary summary) {
        this.trainingSummary = summary;
        return this;
    }

    private boolean hasThreshold() {
        return !Double.isNaN(threshold);
    }

    @Override
    public Dataset<Row> transform(Dataset<?> dataset) {
        transformSchema(dataset.schema());
        ImageColumn.Kind kind = ImageColumn.kindOf(dataset.schema().apply(getFeaturesCol()));
        // the network rows under a name of their own, dropped at the end; the explanation renamed last so that
        // it comes after the derived columns
        String pixelsCol = "__pixels_" + uid;
        String explanationCol = getExplanationCol().isEmpty() ? "" : "__heatmap_" + uid;
        Dataset<Row> input = dataset.toDF().withColumn(pixelsCol,
                ImageColumn.vectors(getFeaturesCol(), kind, new ImagePixels(imageShape()), getHandleInvalid()));
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(dataset.sparkSession().sparkContext());
        Broadcast<byte[]> networkBytes = sc.broadcast(NetworkBytes.toBytes(network));
        PixelHeatmap heatmap = explanationCol.isEmpty() ? null : new PixelHeatmap();
        BatchScorer scorer = new BatchScorer(networkBytes, new ReconstructionError(), standardization,
                input.schema().fieldIndex(pixelsCol), getFeaturesCol(), getHandleInvalid(), heatmap, SCORE_BATCH_ROWS);
        Dataset<Row> scored = input.mapPartitions(scorer, Encoders.row(BatchScorer.outputSchema(input.schema(),
                getScoreCol(), explanationCol, SQLDataTypes.VectorType()))).drop(pixelsCol);
        Dataset<Row> out = new ScoreOutputs(threshold, hasThreshold() ? getPredictionCol() : "", trainingScores,
                getNormalizedScoreCol().isEmpty() ? null : ScoreNormalization.byName(getNormalization()),
                getNormalizedScoreCol(),
                getConfidenceCol().isEmpty() ? null : ExceedConfidence.of(trainingScores.count(), getContamination()),
                getConfidenceCol()).appendTo(scored, getScoreCol());
        if (heatmap != null) {
            out = out.withColumn(getExplanationCol(), SchemaChecks.column(explanationCol)).drop(explanationCol);
        }
        return out;
    }

    @Override
    public StructType transformSchema(StructType schema) {
        return outputSchema(this, schema, hasThreshold());
    }

    /**
     * The input schema plus the score column and the optional columns, in the order transform appends
     * them; the explanation is the heatmap Vector. Each new column must be absent from the input.
     */
    static StructType outputSchema(DetectorParams<?> params, StructType schema, boolean hasThreshold) {
        ImageColumn.kindOf(SchemaChecks.requireColumn(schema, params.getFeaturesCol()));
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
            out = withColumn(out, params.getExplanationCol(), "explanationCol", SQLDataTypes.VectorType());
        }
        return out;
    }

    private static StructType withColumn(StructType schema, String column, String paramName, DataType type) {
        SchemaChecks.requireAbsent(schema, column, paramName);
        return schema.add(column, type, true);
    }

    @Override
    public ConvAutoencoderDetectorModel copy(ParamMap extra) {
        ConvAutoencoderDetectorModel copy = new ConvAutoencoderDetectorModel(uid, network, standardization, threshold,
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

    public static MLReader<ConvAutoencoderDetectorModel> read() {
        return new StageReader<>(ConvAutoencoderDetectorModel.class, ConvAutoencoderDetectorModel::readData);
    }

    public static ConvAutoencoderDetectorModel load(String path) {
        return read().load(path);
    }

    private static ConvAutoencoderDetectorModel readData(String uid, FileSystem fs, Path directory)
            throws IOException {
        State state = JsonFile.read(fs, new Path(directory, STATE_FILE), State.class);
        MultiLayerNetwork network;
        try (InputStream in = fs.open(new Path(directory, NETWORK_FILE))) {
            network = NetworkBytes.read(in);
        }
        return new ConvAutoencoderDetectorModel(uid, network, new Standardization(state.mean(), state.scale()),
                state.threshold() == null ? Double.NaN : state.threshold(), state.trainingScores());
    }
}
