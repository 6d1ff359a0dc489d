package io.github.deepanomaly.core;

import io.github.deepanomaly.io.JsonFile;
import io.github.deepanomaly.io.StageWriter;
import io.github.deepanomaly.score.ExceedConfidence;
import io.github.deepanomaly.score.FeatureExplanation;
import io.github.deepanomaly.score.NetworkBytes;
import io.github.deepanomaly.score.ScoreDistribution;
import io.github.deepanomaly.score.ScoreNormalization;
import io.github.deepanomaly.score.ScoreOutputs;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Optional;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.ml.Model;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/**
 * What every trained detector's transform and persistence do the same way, the model-side twin of
 * {@link AnomalyDetector}: the threshold and the training score distribution, the columns derived from
 * the score (prediction, normalized score, confidence) and where the explanation goes, and saving
 * through the Hadoop FS API. A detector supplies only how its networks score a dataset (the score
 * column, and its explanation when asked) and which network files it writes.
 *
 * <p>{@link #transform} appends {@code scoreCol} and, when the model has a threshold, {@code predictionCol}
 * (1.0 when score ≥ threshold); then, when their params name them, {@code normalizedScoreCol},
 * {@code confidenceCol} and {@code explanationCol}, in that order. Lazy: it starts no Spark job, so it
 * also works on streaming DataFrames.
 *
 * @param <M> the detector's model, returned by the fluent setters
 */
public abstract class AnomalyDetectorModel<M extends AnomalyDetectorModel<M>> extends Model<M>
        implements TrainingParams<M>, ScoringModel, MLWritable {

    private static final String STATE_FILE = "state.json";

    private final String uid;
    private final DetectorParamSet detectorParamSet;
    private final TrainingParamSet trainingParamSet;
    private final Standardization standardization;
    private final ScoreDistribution trainingScores;
    private double threshold;
    private TrainingSummary trainingSummary;

    /**
     * What besides params and networks every saved model holds. The threshold is null when there is none;
     * the training scores are null in models saved before they were kept.
     */
    public record State(double[] mean, double[] scale, Double threshold, ScoreDistribution trainingScores) {
        public Standardization standardization() {
            return new Standardization(mean, scale);
        }

        public double thresholdOrNaN() {
            return threshold == null ? Double.NaN : threshold;
        }
    }

    /**
     * Appends the score column ({@code getScoreCol()}) to the dataset, and, when {@code explanationCol} is
     * not empty, the explanation under that name; a row kept by handleInvalid 'keep' gets nulls.
     */
    @FunctionalInterface
    protected interface Scorer {
        Dataset<Row> append(Dataset<?> dataset, String explanationCol);
    }

    /** @param trainingScores null only for models saved before the distribution was kept */
    protected AnomalyDetectorModel(String uid, long defaultSeed, Standardization standardization, double threshold,
            ScoreDistribution trainingScores) {
        this.uid = uid;
        this.detectorParamSet = new DetectorParamSet(this);
        this.trainingParamSet = new TrainingParamSet(this, defaultSeed);
        this.standardization = standardization;
        this.threshold = threshold;
        this.trainingScores = trainingScores;
    }

    /** How this model scores, with its default scoring path. */
    protected abstract Scorer scorer();

    /** Writes the model's networks (and any other file of its own) into its save directory. */
    protected abstract void writeNetworks(FileSystem fs, Path directory) throws IOException;

    /** The type of the explanation column; a per-feature share of the score by default. */
    protected DataType explanationType() {
        return FeatureExplanation.TYPE;
    }

    /** Checks the input columns the model reads; a Vector {@code featuresCol} by default. */
    protected void checkInput(StructType schema) {
        SchemaChecks.requireVectorColumn(schema, getFeaturesCol());
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
    public int numFeatures() {
        return standardization.size();
    }

    public Standardization featureStandardization() {
        return standardization;
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
    public M setThreshold(double value) {
        this.threshold = value;
        return self();
    }

    protected boolean hasThreshold() {
        return !Double.isNaN(threshold);
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

    /** Sets how training went; {@code fit} does this on the model it returns. */
    public M withTrainingSummary(TrainingSummary summary) {
        this.trainingSummary = summary;
        return self();
    }

    /**
     * Finishes {@code copy(extra)}: a new model of the same networks gets this one's params with
     * {@code extra} over them, its threshold, training summary and parent.
     */
    protected M copyTo(M copy, ParamMap extra) {
        AnomalyDetectorModel<M> base = copy;
        base.threshold = threshold;
        base.trainingSummary = trainingSummary;
        return copyValues(copy, extra).setParent(parent());
    }

    @Override
    public Dataset<Row> transform(Dataset<?> dataset) {
        return transform(dataset, scorer());
    }

    /** {@link #transform} through the given scoring path (tests and benchmarks compare paths). */
    protected Dataset<Row> transform(Dataset<?> dataset, Scorer scorer) {
        transformSchema(dataset.schema());
        boolean explain = !getExplanationCol().isEmpty();
        // Appended under a name of its own and renamed last, so that it comes after the derived columns.
        String explanationCol = explain ? "__explanation_" + uid : "";
        Dataset<Row> scored = scorer.append(dataset, explanationCol);
        Dataset<Row> out = new ScoreOutputs(threshold, hasThreshold() ? getPredictionCol() : "", trainingScores,
                getNormalizedScoreCol().isEmpty() ? null : ScoreNormalization.byName(getNormalization()),
                getNormalizedScoreCol(),
                getConfidenceCol().isEmpty() ? null : ExceedConfidence.of(trainingScores.count(), getContamination()),
                getConfidenceCol()).appendTo(scored, getScoreCol());
        if (explain) {
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
        checkInput(schema);
        return outputSchema(this, schema, hasThreshold(), explanationType());
    }

    /**
     * The input schema plus the score column and the optional columns, in the order transform appends
     * them; detectors' {@code transformSchema} use it too. Each new column must be absent from the input
     * and from the columns added before it.
     */
    public static StructType outputSchema(DetectorParams<?> params, StructType schema, boolean hasThreshold,
            DataType explanationType) {
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
            out = withColumn(out, params.getExplanationCol(), "explanationCol", explanationType);
        }
        return out;
    }

    private static StructType withColumn(StructType schema, String column, String paramName, DataType type) {
        SchemaChecks.requireAbsent(schema, column, paramName);
        return schema.add(column, type, true);
    }

    @Override
    public MLWriter write() {
        return new StageWriter(this) {
            @Override
            protected void writeData(FileSystem fs, Path directory) throws IOException {
                writeNetworks(fs, directory);
                JsonFile.write(fs, new Path(directory, STATE_FILE), new State(standardization.mean(),
                        standardization.scale(), hasThreshold() ? threshold : null, trainingScores));
            }
        };
    }

    /** The state a model saved into {@code directory} (for the detectors' readers). */
    protected static State readState(FileSystem fs, Path directory) throws IOException {
        return JsonFile.read(fs, new Path(directory, STATE_FILE), State.class);
    }

    /** Writes a network in DL4J's zip format (without updater state) as {@code fileName}. */
    protected static void writeNetwork(FileSystem fs, Path directory, String fileName, MultiLayerNetwork network)
            throws IOException {
        try (OutputStream out = fs.create(new Path(directory, fileName), false)) {
            NetworkBytes.write(network, out);
        }
    }

    protected static MultiLayerNetwork readNetwork(FileSystem fs, Path directory, String fileName) throws IOException {
        try (InputStream in = fs.open(new Path(directory, fileName))) {
            return NetworkBytes.read(in);
        }
    }

    @SuppressWarnings("unchecked")
    private M self() {
        return (M) this;
    }
}
