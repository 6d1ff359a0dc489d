package io.github.deepanomaly;

import io.github.deepanomaly.core.AnomalyDetectorModel;
import io.github.deepanomaly.core.SchemaChecks;
import io.github.deepanomaly.core.Standardization;
import io.github.deepanomaly.image.ImageColumn;
import io.github.deepanomaly.image.ImagePixels;
import io.github.deepanomaly.io.StageReader;
import io.github.deepanomaly.score.BatchScorer;
import io.github.deepanomaly.score.NetworkBytes;
import io.github.deepanomaly.score.PixelHeatmap;
import io.github.deepanomaly.score.ReconstructionError;
import io.github.deepanomaly.score.ScoreDistribution;
import java.io.IOException;
import java.util.List;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.StructType;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/**
 * A trained convolutional autoencoder: the shared model (threshold, prediction, normalized score,
 * confidence, persistence) whose score is an image's mean squared reconstruction error over its pixels
 * and whose explanation ({@code explanationCol}) is the heatmap: a Vector of every pixel's squared error,
 * channel first (see {@link io.github.deepanomaly.image.ImageShape}). Scores in batches through DL4J on
 * the executors; lazy, so it also works on streaming DataFrames.
 */
public class ConvAutoencoderDetectorModel extends AnomalyDetectorModel<ConvAutoencoderDetectorModel>
        implements ConvAutoencoderParams<ConvAutoencoderDetectorModel> {

    /**
     * Images per forward pass when scoring: the activations of a batch take about rows x filters x pixels x
     * 4 bytes per layer (256 MNIST images through 16 filters: 13 MB), small next to ND4J's off-heap
     * limit, while a DL4J call's overhead is already negligible at this size.
     */
    static final int SCORE_BATCH_ROWS = 256;
    private static final String NETWORK_FILE = "network.zip";

    private final ConvAutoencoderParamSet convParamSet;
    private final MultiLayerNetwork network;

    ConvAutoencoderDetectorModel(String uid, MultiLayerNetwork network, Standardization standardization,
            double threshold, ScoreDistribution trainingScores) {
        super(uid, ConvAutoencoderParamSet.DEFAULT_SEED, standardization, threshold, trainingScores);
        this.convParamSet = new ConvAutoencoderParamSet(this);
        ConvAutoencoderParamSet.setSharedDefaults(this);
        this.network = network;
    }

    @Override
    public ConvAutoencoderParamSet convAutoencoderParamSet() {
        return convParamSet;
    }

    /** The trained DL4J network (a copy: changing it does not change the model). */
    public MultiLayerNetwork network() {
        return network.clone();
    }

    @Override
    protected DataType explanationType() {
        return SQLDataTypes.VectorType();
    }

    @Override
    protected void checkInput(StructType schema) {
        ImageColumn.kindOf(SchemaChecks.requireColumn(schema, getFeaturesCol()));
    }

    /**
     * The images as network rows under a column of their own ({@link ImageColumn#vectors}, which applies
     * handleInvalid to images that do not fit), scored by {@link BatchScorer}, the rows column dropped again.
     */
    @Override
    protected Scorer scorer() {
        return (dataset, explanationCol) -> {
            ImageColumn.Kind kind = ImageColumn.kindOf(dataset.schema().apply(getFeaturesCol()));
            String pixelsCol = "__pixels_" + uid();
            Dataset<Row> input = dataset.toDF().withColumn(pixelsCol,
                    ImageColumn.vectors(getFeaturesCol(), kind, new ImagePixels(imageShape()), getHandleInvalid()));
            JavaSparkContext sc = JavaSparkContext.fromSparkContext(dataset.sparkSession().sparkContext());
            Broadcast<byte[][]> networkBytes = NetworkBytes.broadcast(sc, List.of(network));
            BatchScorer batches = new BatchScorer(networkBytes, List.of(new ReconstructionError()), featureStandardization(),
                    input.schema().fieldIndex(pixelsCol), getFeaturesCol(), getHandleInvalid(),
                    explanationCol.isEmpty() ? null : new PixelHeatmap(), SCORE_BATCH_ROWS);
            return input.mapPartitions(batches, Encoders.row(BatchScorer.outputSchema(input.schema(), getScoreCol(),
                    explanationCol, SQLDataTypes.VectorType()))).drop(pixelsCol);
        };
    }

    @Override
    protected void writeNetworks(FileSystem fs, Path directory) throws IOException {
        writeNetwork(fs, directory, NETWORK_FILE, network);
    }

    @Override
    public ConvAutoencoderDetectorModel copy(ParamMap extra) {
        return copyTo(new ConvAutoencoderDetectorModel(uid(), network, featureStandardization(), getThreshold(),
                trainingScoreDistribution().orElse(null)), extra);
    }

    public static MLReader<ConvAutoencoderDetectorModel> read() {
        return new StageReader<>(ConvAutoencoderDetectorModel.class, ConvAutoencoderDetectorModel::readData);
    }

    public static ConvAutoencoderDetectorModel load(String path) {
        return read().load(path);
    }

    private static ConvAutoencoderDetectorModel readData(String uid, FileSystem fs, Path directory)
            throws IOException {
        State state = readState(fs, directory);
        return new ConvAutoencoderDetectorModel(uid, readNetwork(fs, directory, NETWORK_FILE),
                state.standardization(), state.thresholdOrNaN(), state.trainingScores());
    }
}
