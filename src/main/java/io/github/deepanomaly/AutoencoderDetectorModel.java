package io.github.deepanomaly;

import io.github.deepanomaly.core.AnomalyDetectorModel;
import io.github.deepanomaly.core.Standardization;
import io.github.deepanomaly.io.JsonFile;
import io.github.deepanomaly.io.StageReader;
import io.github.deepanomaly.score.BatchScorer;
import io.github.deepanomaly.score.ErrorScales;
import io.github.deepanomaly.score.FeatureExplanation;
import io.github.deepanomaly.score.ReconstructionPasses;
import io.github.deepanomaly.score.ReconstructionScore;
import io.github.deepanomaly.score.RowScorer;
import io.github.deepanomaly.score.ScoreDistribution;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/**
 * A trained dense autoencoder: scores each row by its reconstruction error (see
 * {@link AnomalyDetectorModel} for the columns transform appends), the denoising network's reconstruction taken
 * after the passes it was fitted with ({@link #reconstructionPasses()}). The explanation is each feature's
 * share of that error. With a plain network beside the denoising one ({@code plainNetwork}), the score is the
 * mean of the two networks' errors, each divided by its typical training score.
 */
public class AutoencoderDetectorModel extends AnomalyDetectorModel<AutoencoderDetectorModel>
        implements AutoencoderParams<AutoencoderDetectorModel> {

    /** Each network's file and its error scales' file, in the networks' order. */
    private static final List<String> NETWORK_FILES = List.of("network.zip", "plainNetwork.zip");
    private static final List<String> ERROR_SCALES_FILES = List.of("errorScales.json", "plainErrorScales.json");
    /** The passes each network reconstructs a row in; models saved before it apply each network once. */
    private static final String PASSES_FILE = "reconstructionPasses.json";

    private final AutoencoderParamSet autoencoderParamSet;
    /** The denoising network, then the plain one when there is one. */
    private final List<MultiLayerNetwork> networks;
    /**
     * One per network; null: the squared errors of one network unscaled ({@code errorScaling} 'none', and models
     * saved before it existed).
     */
    private final List<ErrorScales> errorScales;
    /** How many times each network is applied to reconstruct a row, as at fit (not the params' current values). */
    private final ReconstructionPasses passes;

    /** @param trainingScores null only for models saved before the distribution was kept */
    AutoencoderDetectorModel(String uid, List<MultiLayerNetwork> networks, Standardization standardization,
            List<ErrorScales> errorScales, ReconstructionPasses passes, double threshold,
            ScoreDistribution trainingScores) {
        super(uid, AutoencoderParamSet.DEFAULT_SEED, standardization, threshold, trainingScores);
        this.autoencoderParamSet = new AutoencoderParamSet(this);
        AutoencoderParamSet.setSharedDefaults(this);
        this.networks = List.copyOf(networks);
        this.errorScales = errorScales == null ? null : List.copyOf(errorScales);
        this.passes = passes;
        ReconstructionScore.of(this.networks, this.errorScales, passes); // checks they fit together
    }

    @Override
    public AutoencoderParamSet autoencoderParamSet() {
        return autoencoderParamSet;
    }

    /** The trained DL4J network, the denoising one (a copy: changing it does not change the model). */
    public MultiLayerNetwork network() {
        return networks.get(0).clone();
    }

    /** The trained networks, the denoising one first, then the plain one when there is one (copies). */
    public List<MultiLayerNetwork> networks() {
        return networks.stream().map(MultiLayerNetwork::clone).toList();
    }

    /**
     * The denoising network's typical squared error per feature on the training rows, by which its error is divided
     * in the score and the explanation; empty when {@code errorScaling} was 'none' with one network (or the model
     * was saved before it existed).
     */
    public Optional<ErrorScales> errorScales() {
        return errorScales == null ? Optional.empty() : Optional.of(errorScales.get(0));
    }

    /** Each network's error scales, in the order of {@link #networks()}; empty when there are none. */
    public List<ErrorScales> errorScalesPerNetwork() {
        return errorScales == null ? List.of() : errorScales;
    }

    /**
     * How many times each network, in the order of {@link #networks()}, is applied to a row to reconstruct it: the
     * {@code denoisingPasses} the model was fitted with for the denoising network, 1 for a plain one.
     */
    public ReconstructionPasses reconstructionPasses() {
        return passes;
    }

    /** How this model scores rows: its networks with their error scales and passes. */
    public ReconstructionScore reconstructionScore() {
        return ReconstructionScore.of(networks, errorScales, passes);
    }

    @Override
    protected Scorer scorer() {
        return scorer(reconstructionScore().rowwise());
    }

    /**
     * Scores row by row through column expressions ({@link RowScorer}) or in batches through DL4J
     * ({@link BatchScorer}); both give the same columns, and the same scores up to float rounding.
     */
    Dataset<Row> transform(Dataset<?> dataset, boolean rowwise) {
        return transform(dataset, scorer(rowwise));
    }

    private Scorer scorer(boolean rowwise) {
        ReconstructionScore score = reconstructionScore();
        return (dataset, explanationCol) -> {
            FeatureExplanation explanation = explanationCol.isEmpty() ? null : new FeatureExplanation(
                    FeatureExplanation.featureNames(dataset.schema().apply(getFeaturesCol()), numFeatures()),
                    getExplainTopK());
            if (rowwise) {
                return new RowScorer(score.rowScore(), featureStandardization(), getFeaturesCol(), getHandleInvalid())
                        .append(dataset.toDF(), getScoreCol(), explanation, explanationCol);
            }
            JavaSparkContext sc = JavaSparkContext.fromSparkContext(dataset.sparkSession().sparkContext());
            BatchScorer scorer = score.batchScorer(sc, featureStandardization(),
                    dataset.schema().fieldIndex(getFeaturesCol()), getFeaturesCol(), getHandleInvalid(), explanation);
            return dataset.toDF().mapPartitions(scorer, Encoders.row(
                    BatchScorer.outputSchema(dataset.schema(), getScoreCol(), explanationCol)));
        };
    }

    @Override
    public AutoencoderDetectorModel copy(ParamMap extra) {
        return copyTo(new AutoencoderDetectorModel(uid(), networks, featureStandardization(), errorScales, passes,
                getThreshold(), trainingScoreDistribution().orElse(null)), extra);
    }

    /**
     * The networks and, when there are any, their error scales, and the passes they reconstruct in (files of their own:
     * older models have none).
     */
    @Override
    protected void writeNetworks(FileSystem fs, Path directory) throws IOException {
        for (int k = 0; k < networks.size(); k++) {
            writeNetwork(fs, directory, NETWORK_FILES.get(k), networks.get(k));
            if (errorScales != null) {
                JsonFile.write(fs, new Path(directory, ERROR_SCALES_FILES.get(k)), errorScales.get(k));
            }
        }
        JsonFile.write(fs, new Path(directory, PASSES_FILE), passes);
    }

    public static MLReader<AutoencoderDetectorModel> read() {
        return new StageReader<>(AutoencoderDetectorModel.class, AutoencoderDetectorModel::readData);
    }

    public static AutoencoderDetectorModel load(String path) {
        return read().load(path);
    }

    private static AutoencoderDetectorModel readData(String uid, FileSystem fs, Path directory) throws IOException {
        State state = readState(fs, directory);
        List<MultiLayerNetwork> networks = new ArrayList<>();
        List<ErrorScales> errorScales = new ArrayList<>();
        for (int k = 0; k < NETWORK_FILES.size() && (k == 0 || fs.exists(new Path(directory, NETWORK_FILES.get(k))));
                k++) {
            networks.add(readNetwork(fs, directory, NETWORK_FILES.get(k)));
            Path scales = new Path(directory, ERROR_SCALES_FILES.get(k));
            if (fs.exists(scales)) {
                errorScales.add(JsonFile.read(fs, scales, ErrorScales.class));
            }
        }
        if (!errorScales.isEmpty() && errorScales.size() != networks.size()) {
            throw new IOException("The model in " + directory + " has " + networks.size() + " networks but "
                    + errorScales.size() + " error scales files: it was written half-way; save it again");
        }
        Path passes = new Path(directory, PASSES_FILE);
        return new AutoencoderDetectorModel(uid, networks, state.standardization(),
                errorScales.isEmpty() ? null : errorScales,
                fs.exists(passes) ? JsonFile.read(fs, passes, ReconstructionPasses.class)
                        : ReconstructionPasses.once(networks.size()),
                state.thresholdOrNaN(), state.trainingScores());
    }
}
