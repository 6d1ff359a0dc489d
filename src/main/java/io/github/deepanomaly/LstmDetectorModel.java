package io.github.deepanomaly;

import io.github.deepanomaly.core.AnomalyDetectorModel;
import io.github.deepanomaly.core.Standardization;
import io.github.deepanomaly.core.DetectorParamSet;
import io.github.deepanomaly.core.SchemaChecks;
import io.github.deepanomaly.io.JsonFile;
import io.github.deepanomaly.nn.LstmForecastNetwork;
import io.github.deepanomaly.nn.LstmReconstructNetwork;
import io.github.deepanomaly.io.StageReader;
import io.github.deepanomaly.score.FeatureExplanation;
import io.github.deepanomaly.score.NetworkBytes;
import io.github.deepanomaly.score.ScoreDistribution;
import io.github.deepanomaly.score.TrainingScores;
import io.github.deepanomaly.series.DynamicThreshold;
import io.github.deepanomaly.series.ErrorCalibration;
import io.github.deepanomaly.series.ForecastPartitions;
import io.github.deepanomaly.series.ForecastScorer;
import io.github.deepanomaly.series.SeasonalPeriod;
import io.github.deepanomaly.series.SeriesColumns;
import io.github.deepanomaly.series.SeriesStats;
import io.github.deepanomaly.series.SeriesStreaming;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.StructType;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/**
 * A trained LSTM forecaster or autoencoder ({@code method}). {@link #transform} appends to every input row
 * its score: the forecast error of the row's step, predicted from the {@code windowSize} usable steps of its
 * series just before it (forecast), or the reconstruction error of the row's step as the last of the window
 * of {@code windowSize} usable steps that ends at it (reconstruct), smoothed by an EWMA over the series (span {@code smoothingSpan}),
 * for a series with a seasonal period (found at fit time, {@code seasonalCycles}) summed with its smoothed
 * seasonal error, each in units of its training mean ({@link SeriesStats#combined}), and normalized by that series' own
 * smoothed training errors, (error − center) / interquartile range, on every series alike. With
 * {@code thresholdMethod} 'dynamic' the center is the series' own threshold ({@link DynamicThreshold}, LSTM-DT's
 * non-parametric one, from its training errors) and the model's threshold 0: a score is how many IQRs a step
 * lies above (or below) its series' threshold, and {@code predictionCol} is 1 at 0 and above. With
 * 'contamination' the center is the series' median error (0 is a typical step, 10 an error ten IQRs above
 * it) and the threshold the (1 − contamination) quantile of the training rows' scores, one for all series.
 * Then, like every detector, {@code normalizedScoreCol}, {@code confidenceCol} and {@code explanationCol}
 * (the value columns by smoothed absolute error, in units of the series' standard deviation).
 *
 * <p>Null scores: the first (windowSize − 1) · windowStride + 1 usable rows of each series with forecast, one
 * fewer with reconstruct (no full window yet), rows of a
 * series the model was not fitted on (or that was too short to train on), and rows with a null, NaN or
 * infinite value under handleInvalid 'keep' ('skip' drops them, 'error' fails); such rows are not part of
 * any window. Rows are scored in time order within their series whatever the input's order; rows at the
 * same time are ordered by their values.
 *
 * <p>Batch transform partitions the rows by series, so one series is scored by one task. On a streaming
 * DataFrame the model keeps each series' last window and smoothed error as state between micro-batches
 * (rows of a series must arrive in time order across micro-batches) and gives the batch scores and
 * predictions: the per-series thresholds are fixed at fit time, in the model's series statistics.
 */
public class LstmDetectorModel extends AnomalyDetectorModel<LstmDetectorModel>
        implements LstmParams<LstmDetectorModel> {

    private static final String NETWORK_FILE = "network.zip";
    private static final String SERIES_FILE = "series.json";
    private final LstmParamSet lstmParamSet;
    private final MultiLayerNetwork network;
    private final Map<String, SeriesStats> series;

    /** The series statistics as saved (a record, so that the JSON file reads back into it). */
    record SavedSeries(Map<String, SeriesStats> series) {
    }

    LstmDetectorModel(String uid, MultiLayerNetwork network, Map<String, SeriesStats> series, double threshold,
            ScoreDistribution trainingScores) {
        super(uid, LstmParamSet.DEFAULT_SEED, Standardization.identity(LstmForecastNetwork.numValues(network)), threshold,
                trainingScores);
        this.lstmParamSet = new LstmParamSet(this);
        setDefault(maxIter(), LstmParamSet.DEFAULT_MAX_ITER);
        setDefault(contamination(), LstmParamSet.DEFAULT_CONTAMINATION);
        this.network = network;
        this.series = Map.copyOf(series);
    }

    @Override
    public LstmParamSet lstmParamSet() {
        return lstmParamSet;
    }

    /** The trained DL4J network (a copy). */
    public MultiLayerNetwork network() {
        return network.clone();
    }

    /** Each series' value scaling and error statistics, by series id ("" for a single series). */
    public Map<String, SeriesStats> seriesStats() {
        return series;
    }

    private ForecastScorer scorer(Map<String, SeriesStats> stats, boolean normalize) {
        return new ForecastScorer(getWindowSize(), getWindowStride(), getValueCols().length, 2.0 / (getSmoothingSpan() + 1), stats,
                normalize, getHandleInvalid(), LstmReconstructNetwork.reconstructs(network),
                2.0 / (getSeasonalSmoothingSpan() + 1));
    }

    /**
     * The model with each series' error statistics and the threshold and score distribution, from the
     * smoothed forecast errors of the training rows (two passes over them, on the executors; one row per
     * series reaches the driver). With thresholdMethod 'contamination' a series' scores are measured from
     * its median error and the threshold is the (1 − contamination) quantile of all training scores; with
     * 'dynamic' from its own {@link DynamicThreshold}, and the threshold is 0. Either way in units of the
     * series' interquartile range, and without a threshold when contamination is 0.
     */
    LstmDetectorModel calibrate(Dataset<?> training, double contamination) {
        boolean dynamic = LstmParamSet.THRESHOLD_DYNAMIC.equals(getThresholdMethod());
        Map<String, SeriesStats> withPeriods = withPeriods(training);
        // the scoring pass leaves each series in one partition, in time order: what the dynamic threshold reads
        Dataset<Row> raw = scoredKeyed(training, scorer(withPeriods, false), null, "", true)
                .select(functions.col(SeriesColumns.SERIES), functions.col(getScoreCol()).as("error"),
                        functions.col(ForecastPartitions.SEASONAL).as("seasonal"))
                .where(functions.col("error").isNotNull())
                .cache();
        try {
            List<Row> perSeries = raw.mapPartitions(new ErrorCalibration(dynamic, getThresholdMinDrop()),
                    Encoders.row(ErrorCalibration.SCHEMA)).collectAsList();
            Map<String, SeriesStats> calibrated = new HashMap<>(withPeriods);
            for (Row r : perSeries) {
                double center = dynamic ? r.getDouble(3) : r.getDouble(1);
                calibrated.computeIfPresent(r.getString(0), (k, s) -> s.withErrorMeans(r.getDouble(4), r.getDouble(5))
                        .withErrors(center, r.getDouble(2)));
            }
            Map<String, SeriesStats> frozen = Map.copyOf(calibrated);
            Dataset<Double> scores = raw.map((MapFunction<Row, Double>) r -> {
                SeriesStats s = frozen.get(r.getString(0));
                return s.score(s.combined(r.getDouble(1), r.isNullAt(2) ? Double.NaN : r.getDouble(2)));
            }, Encoders.DOUBLE());
            TrainingScores.Summary summary = TrainingScores.summarize(scores, contamination);
            double threshold = dynamic && contamination > 0 ? 0.0 : summary.threshold();
            LstmDetectorModel model = new LstmDetectorModel(uid(), network, frozen, threshold,
                    summary.distribution());
            copyValues(model, ParamMap.empty());
            trainingSummary().ifPresent(model::withTrainingSummary);
            return model.setParent(parent());
        } finally {
            raw.unpersist();
        }
    }

    /**
     * The series statistics with each series' seasonal period ({@link SeasonalPeriod}, from its usable training
     * rows in time order, one series per task; one row per series reaches the driver); unchanged with
     * seasonalCycles 0.
     */
    private Map<String, SeriesStats> withPeriods(Dataset<?> training) {
        if (getSeasonalCycles() == 0) {
            return series;
        }
        SeriesColumns columns = seriesColumns();
        List<Row> periods = columns.keyed(training).where(functions.not(columns.unusable()))
                .select(SeriesColumns.SERIES, SeriesColumns.TIME, SeriesColumns.VALUES)
                .repartition(functions.col(SeriesColumns.SERIES))
                .sortWithinPartitions(SeriesColumns.stepOrder())
                .select(SeriesColumns.SERIES, SeriesColumns.VALUES)
                .mapPartitions(new SeasonalPeriod(getSeasonalCycles()), Encoders.row(SeasonalPeriod.SCHEMA))
                .collectAsList();
        Map<String, SeriesStats> out = new HashMap<>(series);
        for (Row r : periods) {
            out.computeIfPresent(r.getString(0), (k, s) -> s.withPeriod(r.getInt(1), getSeasonalCycles()));
        }
        return Map.copyOf(out);
    }

    /**
     * The keyed input, its rows in series and time order, with the score column appended (then, with
     * {@code withSeasonal}, a batch-only calibration column {@link ForecastPartitions#SEASONAL}; and the
     * explanation under {@code explanationCol} when {@code explanation} is given).
     */
    private Dataset<Row> scoredKeyed(Dataset<?> dataset, ForecastScorer scorer, FeatureExplanation explanation,
            String explanationCol, boolean withSeasonal) {
        SeriesColumns columns = seriesColumns();
        Dataset<Row> keyed = columns.keyed(dataset);
        if (DetectorParamSet.HANDLE_SKIP.equals(getHandleInvalid())) {
            keyed = keyed.where(functions.not(columns.unusable()));
        }
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(dataset.sparkSession().sparkContext());
        Broadcast<byte[]> bytes = sc.broadcast(NetworkBytes.toBytes(network));
        StructType out = ForecastPartitions.outputSchema(keyed.schema(), getScoreCol(), explanationCol, withSeasonal);
        if (keyed.isStreaming()) {
            return SeriesStreaming.score(keyed, bytes, scorer, explanation, out);
        }
        return keyed.repartition(functions.col(SeriesColumns.SERIES))
                .sortWithinPartitions(SeriesColumns.stepOrder())
                .mapPartitions(new ForecastPartitions(bytes, scorer, keyed.schema(), explanation, withSeasonal),
                        Encoders.row(out));
    }

    @Override
    protected Scorer scorer() {
        return (dataset, explanationCol) -> {
            FeatureExplanation explanation = explanationCol.isEmpty() ? null
                    : new FeatureExplanation(getValueCols(), getExplainTopK());
            return scoredKeyed(dataset, scorer(series, true), explanation, explanationCol, false)
                    .drop(SeriesColumns.SERIES, SeriesColumns.TIME, SeriesColumns.VALUES);
        };
    }

    @Override
    protected void checkInput(StructType schema) {
        checkSeriesInput(this, schema);
        String trained = LstmReconstructNetwork.reconstructs(network) ? LstmParamSet.METHOD_RECONSTRUCT
                : LstmParamSet.METHOD_FORECAST;
        if (!trained.equals(getMethod())) {
            throw new IllegalArgumentException("method is '" + getMethod() + "' but the model's network was trained"
                    + " with method '" + trained + "'; a model scores with its own method: refit to change it");
        }
    }

    /** The series columns exist with usable types, and the input holds none of the detector's own key columns. */
    static void checkSeriesInput(LstmParams<?> params, StructType schema) {
        params.seriesColumns().check(schema);
        for (String key : new String[] {SeriesColumns.SERIES, SeriesColumns.TIME, SeriesColumns.VALUES}) {
            if (schema.getFieldIndex(key).isDefined()) {
                throw new IllegalArgumentException("Column '" + key + "' is reserved by the LSTM detector; rename it");
            }
        }
    }

    @Override
    public LstmDetectorModel copy(ParamMap extra) {
        return copyTo(new LstmDetectorModel(uid(), network, series, getThreshold(),
                trainingScoreDistribution().orElse(null)), extra);
    }

    @Override
    protected void writeNetworks(FileSystem fs, Path directory) throws IOException {
        writeNetwork(fs, directory, NETWORK_FILE, network);
        JsonFile.write(fs, new Path(directory, SERIES_FILE), new SavedSeries(series));
    }

    public static MLReader<LstmDetectorModel> read() {
        return new StageReader<>(LstmDetectorModel.class, LstmDetectorModel::readData);
    }

    public static LstmDetectorModel load(String path) {
        return read().load(path);
    }

    private static LstmDetectorModel readData(String uid, FileSystem fs, Path directory) throws IOException {
        State state = readState(fs, directory);
        SavedSeries saved = JsonFile.read(fs, new Path(directory, SERIES_FILE), SavedSeries.class);
        return new LstmDetectorModel(uid, readNetwork(fs, directory, NETWORK_FILE), saved.series(),
                state.thresholdOrNaN(), state.trainingScores());
    }
}
