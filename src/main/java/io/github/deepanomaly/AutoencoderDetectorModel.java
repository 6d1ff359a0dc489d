package io.github.deepanomaly;

import io.github.deepanomaly.core.AnomalyDetectorModel;
import io.github.deepanomaly.core.Standardization;
import io.github.deepanomaly.io.JsonFile;
import io.github.deepanomaly.io.StageReader;
import io.github.deepanomaly.score.BatchScorer;
import io.github.deepanomaly.score.DenseForwardPass;
import io.github.deepanomaly.score.ErrorScales;
import io.github.deepanomaly.score.FeatureExplanation;
import io.github.deepanomaly.score.NetworkBytes;
import io.github.deepanomaly.score.ReconstructionError;
import io.github.deepanomaly.score.RowScorer;
import io.github.deepanomaly.score.ScoreDistribution;
import java.io.IOException;
import java.util.Optional;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/**
 * A trained dense autoencoder: scores each row by its reconstruction error (see
 * {@link AnomalyDetectorModel} for the columns transform appends). The explanation is each feature's
 * share of that error.
 */
public class AutoencoderDetectorModel extends AnomalyDetectorModel<AutoencoderDetectorModel>
        implements AutoencoderParams<AutoencoderDetectorModel> {

    private static final String NETWORK_FILE = "network.zip";
    private static final String ERROR_SCALES_FILE = "errorScales.json";

    private final AutoencoderParamSet autoencoderParamSet;
    private final MultiLayerNetwork network;
    /** Null: the squared errors unscaled ({@code errorScaling} 'none', and models saved before it existed). */
    private final ErrorScales errorScales;

    /** @param trainingScores null only for models saved before the distribution was kept */
    AutoencoderDetectorModel(String uid, MultiLayerNetwork network, Standardization standardization,
            ErrorScales errorScales, double threshold, ScoreDistribution trainingScores) {
        super(uid, AutoencoderParamSet.DEFAULT_SEED, standardization, threshold, trainingScores);
        this.autoencoderParamSet = new AutoencoderParamSet(this);
        this.network = network;
        this.errorScales = errorScales;
    }

    @Override
    public AutoencoderParamSet autoencoderParamSet() {
        return autoencoderParamSet;
    }

    /** The trained DL4J network (a copy: changing it does not change the model). */
    public MultiLayerNetwork network() {
        return network.clone();
    }

    /**
     * Each feature's typical squared error on the training rows, by which its error is divided in the score
     * and the explanation; empty when {@code errorScaling} was 'none' (or the model was saved before it existed).
     */
    public Optional<ErrorScales> errorScales() {
        return Optional.ofNullable(errorScales);
    }

    private float[] weights() {
        return errorScales == null ? null : errorScales.weights();
    }

    @Override
    protected Scorer scorer() {
        DenseForwardPass pass = DenseForwardPass.of(network);
        return scorer(pass, RowScorer.suits(pass));
    }

    /**
     * Scores row by row through column expressions ({@link RowScorer}) or in batches through DL4J
     * ({@link BatchScorer}); both give the same columns, and the same scores up to float rounding.
     */
    Dataset<Row> transform(Dataset<?> dataset, DenseForwardPass pass, boolean rowwise) {
        return transform(dataset, scorer(pass, rowwise));
    }

    private Scorer scorer(DenseForwardPass pass, boolean rowwise) {
        return (dataset, explanationCol) -> {
            FeatureExplanation explanation = explanationCol.isEmpty() ? null : new FeatureExplanation(
                    FeatureExplanation.featureNames(dataset.schema().apply(getFeaturesCol()), numFeatures()),
                    getExplainTopK());
            if (rowwise) {
                return new RowScorer(pass, weights(), featureStandardization(), getFeaturesCol(), getHandleInvalid())
                        .append(dataset.toDF(), getScoreCol(), explanation, explanationCol);
            }
            JavaSparkContext sc = JavaSparkContext.fromSparkContext(dataset.sparkSession().sparkContext());
            Broadcast<byte[]> networkBytes = sc.broadcast(NetworkBytes.toBytes(network));
            BatchScorer scorer = new BatchScorer(networkBytes, new ReconstructionError(weights()), featureStandardization(),
                    dataset.schema().fieldIndex(getFeaturesCol()), getFeaturesCol(), getHandleInvalid(), explanation);
            return dataset.toDF().mapPartitions(scorer, Encoders.row(
                    BatchScorer.outputSchema(dataset.schema(), getScoreCol(), explanationCol)));
        };
    }

    @Override
    public AutoencoderDetectorModel copy(ParamMap extra) {
        return copyTo(new AutoencoderDetectorModel(uid(), network, featureStandardization(), errorScales, getThreshold(),
                trainingScoreDistribution().orElse(null)), extra);
    }

    /** The network and, when there are any, the error scales (a file of their own: older models have none). */
    @Override
    protected void writeNetworks(FileSystem fs, Path directory) throws IOException {
        writeNetwork(fs, directory, NETWORK_FILE, network);
        if (errorScales != null) {
            JsonFile.write(fs, new Path(directory, ERROR_SCALES_FILE), errorScales);
        }
    }

    public static MLReader<AutoencoderDetectorModel> read() {
        return new StageReader<>(AutoencoderDetectorModel.class, AutoencoderDetectorModel::readData);
    }

    public static AutoencoderDetectorModel load(String path) {
        return read().load(path);
    }

    private static AutoencoderDetectorModel readData(String uid, FileSystem fs, Path directory) throws IOException {
        State state = readState(fs, directory);
        Path scales = new Path(directory, ERROR_SCALES_FILE);
        ErrorScales errorScales = fs.exists(scales) ? JsonFile.read(fs, scales, ErrorScales.class) : null;
        return new AutoencoderDetectorModel(uid, readNetwork(fs, directory, NETWORK_FILE), state.standardization(),
                errorScales, state.thresholdOrNaN(), state.trainingScores());
    }
}
