package io.github.deepanomaly;

import io.github.deepanomaly.core.DetectorParamSet;
import io.github.deepanomaly.core.DetectorParams;
import io.github.deepanomaly.core.SchemaChecks;
import io.github.deepanomaly.core.ScoringModel;
import io.github.deepanomaly.core.TrainingParamSet;
import io.github.deepanomaly.core.TrainingSummary;
import io.github.deepanomaly.io.JsonFile;
import io.github.deepanomaly.io.StageReader;
import io.github.deepanomaly.io.StageWriter;
import io.github.deepanomaly.score.ExceedConfidence;
import io.github.deepanomaly.score.FeatureExplanation;
import io.github.deepanomaly.score.NetworkBytes;
import io.github.deepanomaly.score.ScoreDistribution;
import io.github.deepanomaly.score.ScoreNormalization;
import io.github.deepanomaly.score.ScoreOutputs;
import io.github.deepanomaly.score.TrainingScores;
import io.github.deepanomaly.series.ForecastPartitions;
import io.github.deepanomaly.series.ForecastScorer;
import io.github.deepanomaly.series.SeriesColumns;
import io.github.deepanomaly.series.SeriesStats;
import io.github.deepanomaly.series.SeriesStreaming;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.ml.Model;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/**
 * A trained LSTM forecaster. {@link #transform} appends to every input row its score: the forecast error
 * of the row's step, predicted from the {@code windowSize} usable steps of its series just before it,
 * smoothed by an EWMA over the series (span {@code smoothingSpan}) and normalized by that series' own
 * smoothed training errors, (error − median) / interquartile range. So 0 is a typical step of the series
 * and 10 an error ten IQRs above its median, on every series alike. Then, like every detector,
 * {@code predictionCol} (score ≥ threshold, the (1 − contamination) quantile of the training rows'
 * scores), {@code normalizedScoreCol}, {@code confidenceCol} and {@code explanationCol} (the value columns
 * by smoothed absolute error, in units of the series' standard deviation).
 *
 * <p>Null scores: the first {@code windowSize} usable rows of each series (no full window yet), rows of a
 * series the model was not fitted on (or that was too short to train on), and rows with a null, NaN or
 * infinite value under handleInvalid 'keep' ('skip' drops them, 'error' fails); such rows are not part of
 * any window. Rows are scored in time order within their series whatever the input's order; rows at the
 * same time are ordered by their values.
 *
 * <p>Batch transform partitions the rows by series, so one series is scored by one task. On a streaming
 * DataFrame the model keeps each series' last window and smoothed error as state between micro-batches
 * (rows of a series must arrive in time order across micro-batches) and gives the batch scores.
 */
public class LstmDetectorModel extends Model<LstmDetectorModel>
        implements LstmParams<LstmDetectorModel>, ScoringModel, MLWritable {

    private static final String NETWORK_FILE = "network.zip";
    private static final String STATE_FILE = "state.json";
    /** Relative rank error of the per-series error quantiles. */
    private static final int QUANTILE_ACCURACY = 10_000;

    private final String uid;
    private final DetectorParamSet detectorParamSet;
    private final TrainingParamSet trainingParamSet;
    private final LstmParamSet lstmParamSet;
    private final MultiLayerNetwork network;
    private final Map<String, SeriesStats> series;
    private final ScoreDistribution trainingScores;
    private double threshold;
    private TrainingSummary trainingSummary;

    /** What besides params and the network a saved model holds; the threshold is null when there is none. */
    record State(Map<String, SeriesStats> series, Double threshold, ScoreDistribution trainingScores) {
    }

    LstmDetectorModel(String uid, MultiLayerNetwork network, Map<String, SeriesStats> series, double threshold,
            ScoreDistribution trainingScores) {
        this.uid = uid;
        this.detectorParamSet = new DetectorParamSet(this);
        this.trainingParamSet = new TrainingParamSet(this, LstmParamSet.DEFAULT_SEED);
        this.lstmParamSet = new LstmParamSet(this);
        setDefault(maxIter(), LstmParamSet.DEFAULT_MAX_ITER);
        setDefault(contamination(), LstmParamSet.DEFAULT_CONTAMINATION);
        this.network = network;
        this.series = Map.copyOf(series);
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
    public LstmParamSet lstmParamSet() {
        return lstmParamSet;
    }

    @Override
    public int numFeatures() {
        return getValueCols().length;
    }

    @Override
    public double getThreshold() {
        return threshold;
    }

    /** Replaces the threshold learned from {@code contamination} (scores are on the per-series scale). */
    public LstmDetectorModel setThreshold(double value) {
        this.threshold = value;
        return this;
    }

    /** The trained DL4J network (a copy). */
    public MultiLayerNetwork network() {
        return network.clone();
    }

    /** Each series' value scaling and error statistics, by series id ("" for a single series). */
    public Map<String, SeriesStats> seriesStats() {
        return series;
    }

    public Optional<ScoreDistribution> trainingScoreDistribution() {
        return Optional.ofNullable(trainingScores);
    }

    @Override
    public Optional<TrainingSummary> trainingSummary() {
        return Optional.ofNullable(trainingSummary);
    }

    LstmDetectorModel withTrainingSummary(TrainingSummary summary) {
        this.trainingSummary = summary;
        return this;
    }

    private boolean hasThreshold() {
        return !Double.isNaN(threshold);
    }

    private ForecastScorer scorer(Map<String, SeriesStats> stats, boolean normalize) {
        return new ForecastScorer(getWindowSize(), getValueCols().length, 2.0 / (getSmoothingSpan() + 1), stats,
                normalize, getHandleInvalid());
    }

    /**
     * The model with each series' error statistics and the threshold and score distribution, from the
     * smoothed forecast errors of the training rows (two passes over them, on the executors; one row per
     * series reaches the driver).
     */
    LstmDetectorModel calibrate(Dataset<?> training, double contamination) {
        Dataset<Row> raw = scoredKeyed(training, scorer(series, false), null, "")
                .select(functions.col(SeriesColumns.SERIES), functions.col(getScoreCol()).as("error"))
                .where(functions.col("error").isNotNull())
                .cache();
        try {
            List<Row> quantiles = raw.groupBy(SeriesColumns.SERIES)
                    .agg(functions.percentile_approx(functions.col("error"), functions.lit(new double[] {0.25, 0.5,
                            0.75}), functions.lit(QUANTILE_ACCURACY)))
                    .collectAsList();
            Map<String, SeriesStats> calibrated = new HashMap<>(series);
            for (Row r : quantiles) {
                List<Double> q = r.getList(1);
                calibrated.computeIfPresent(r.getString(0), (k, s) -> s.withErrors(q.get(1), q.get(2) - q.get(0)));
            }
            Map<String, SeriesStats> frozen = Map.copyOf(calibrated);
            Dataset<Double> scores = raw.map((MapFunction<Row, Double>) r -> frozen.get(r.getString(0))
                    .score(r.getDouble(1)), Encoders.DOUBLE());
            TrainingScores.Summary summary = TrainingScores.summarize(scores, contamination);
            LstmDetectorModel model = new LstmDetectorModel(uid, network, frozen, summary.threshold(),
                    summary.distribution());
            copyValues(model, ParamMap.empty());
            model.trainingSummary = trainingSummary;
            return model.setParent(parent());
        } finally {
            raw.unpersist();
        }
    }

    /**
     * The keyed input, its rows in series and time order, with the score column appended (and the raw
     * explanation under {@code explanationCol} when {@code explanation} is given).
     */
    private Dataset<Row> scoredKeyed(Dataset<?> dataset, ForecastScorer scorer, FeatureExplanation explanation,
            String explanationCol) {
        SeriesColumns columns = seriesColumns();
        Dataset<Row> keyed = columns.keyed(dataset);
        if (DetectorParamSet.HANDLE_SKIP.equals(getHandleInvalid())) {
            keyed = keyed.where(functions.not(columns.unusable()));
        }
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(dataset.sparkSession().sparkContext());
        Broadcast<byte[]> bytes = sc.broadcast(NetworkBytes.toBytes(network));
        StructType out = ForecastPartitions.outputSchema(keyed.schema(), getScoreCol(), explanationCol);
        if (keyed.isStreaming()) {
            return SeriesStreaming.score(keyed, bytes, scorer, explanation, out);
        }
        return keyed.repartition(functions.col(SeriesColumns.SERIES))
                .sortWithinPartitions(SeriesColumns.stepOrder())
                .mapPartitions(new ForecastPartitions(bytes, scorer, keyed.schema(), explanation), Encoders.row(out));
    }

    @Override
    public Dataset<Row> transform(Dataset<?> dataset) {
        transformSchema(dataset.schema());
        FeatureExplanation explanation = getExplanationCol().isEmpty() ? null
                : new FeatureExplanation(getValueCols(), getExplainTopK());
        // Appended under a name of its own and renamed last, so that it comes after the derived columns.
        String explanationCol = explanation == null ? "" : "__explanation_" + uid;
        Dataset<Row> scored = scoredKeyed(dataset, scorer(series, true), explanation, explanationCol)
                .drop(SeriesColumns.SERIES, SeriesColumns.TIME, SeriesColumns.VALUES);
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
            throw new IllegalArgumentException("normalizedScoreCol and confidenceCol need the training score"
                    + " distribution, which this model lacks; leave both empty");
        }
        return outputSchema(this, schema, hasThreshold());
    }

    /** The input schema plus the output columns, in the order transform appends them. */
    static StructType outputSchema(LstmParams<?> params, StructType schema, boolean hasThreshold) {
        params.seriesColumns().check(schema);
        for (String key : new String[] {SeriesColumns.SERIES, SeriesColumns.TIME, SeriesColumns.VALUES}) {
            if (schema.getFieldIndex(key).isDefined()) {
                throw new IllegalArgumentException("Column '" + key + "' is reserved by the LSTM detector; rename it");
            }
        }
        StructType out = withColumn(schema, params.getScoreCol(), "scoreCol", DataTypes.DoubleType);
        if (hasThreshold && !params.getPredictionCol().isEmpty()) {
            out = withColumn(out, params.getPredictionCol(), "predictionCol", DataTypes.DoubleType);
        }
        if (!params.getNormalizedScoreCol().isEmpty()) {
            out = withColumn(out, params.getNormalizedScoreCol(), "normalizedScoreCol", DataTypes.DoubleType);
        }
        if (!params.getConfidenceCol().isEmpty()) {
            if (!hasThreshold || params.getContamination() <= 0) {
                throw new IllegalArgumentException("confidenceCol needs a threshold and contamination > 0; set"
                        + " contamination, or leave confidenceCol empty");
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
    public LstmDetectorModel copy(ParamMap extra) {
        LstmDetectorModel copy = new LstmDetectorModel(uid, network, series, threshold, trainingScores);
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
                JsonFile.write(fs, new Path(directory, STATE_FILE), new State(series,
                        hasThreshold() ? threshold : null, trainingScores));
            }
        };
    }

    public static MLReader<LstmDetectorModel> read() {
        return new StageReader<>(LstmDetectorModel.class, LstmDetectorModel::readData);
    }

    public static LstmDetectorModel load(String path) {
        return read().load(path);
    }

    private static LstmDetectorModel readData(String uid, FileSystem fs, Path directory) throws IOException {
        State state = JsonFile.read(fs, new Path(directory, STATE_FILE), State.class);
        MultiLayerNetwork network;
        try (InputStream in = fs.open(new Path(directory, NETWORK_FILE))) {
            network = NetworkBytes.read(in);
        }
        return new LstmDetectorModel(uid, network, state.series(),
                state.threshold() == null ? Double.NaN : state.threshold(), state.trainingScores());
    }
}
