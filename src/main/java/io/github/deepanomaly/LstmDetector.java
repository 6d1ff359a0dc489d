package io.github.deepanomaly;

import io.github.deepanomaly.core.AnomalyDetector;
import io.github.deepanomaly.core.AnomalyDetectorModel;
import io.github.deepanomaly.core.Standardization;
import io.github.deepanomaly.core.TrainingRows;
import io.github.deepanomaly.core.TrainingSummary;
import io.github.deepanomaly.io.StageReader;
import io.github.deepanomaly.io.StageWriter;
import io.github.deepanomaly.nn.LstmForecastStep;
import io.github.deepanomaly.nn.LstmReconstructStep;
import io.github.deepanomaly.nn.LstmWindowStep;
import io.github.deepanomaly.score.ErrorScales;
import io.github.deepanomaly.score.FeatureExplanation;
import io.github.deepanomaly.score.NetworksScore;
import io.github.deepanomaly.score.TrainingScores;
import io.github.deepanomaly.series.SeriesTable;
import io.github.deepanomaly.series.SeriesWindows;
import io.github.deepanomaly.train.LocalStep;
import io.github.deepanomaly.train.Training;
import java.util.List;
import org.apache.spark.ml.util.Identifiable$;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.types.StructType;

/**
 * LSTM anomaly detector for time series, on a long-format table: a time column, one or more value columns
 * and, optionally, a series column (one model for many series). Each series is scaled by its own
 * statistics and cut into windows on the executors; with {@code method} 'forecast' (LSTM-DT, Hundman et
 * al. 2018) an LSTM learns to forecast the {@code horizon} steps after each {@code windowSize} steps, with
 * 'reconstruct' an LSTM autoencoder learns to reconstruct the window, trained with the shared
 * parameter-averaging engine. The model scores every row by its smoothed forecast (or reconstruction)
 * error, normalized per series ({@link LstmDetectorModel}).
 *
 * <p>Training rows: those with a time and finite values (handleInvalid 'error' fails on any other; 'skip'
 * and 'keep' leave them out). Steps are the rows in time order: gaps in time are not filled (a window is
 * {@code windowSize} consecutive rows, whatever their spacing). Two rows of one series at the same time
 * fail the fit. A series with fewer rows than one window span plus the horizon (forecast) or one window span
 * (reconstruct) is left out of training (its
 * rows get null scores); when no series is that long the fit fails.
 */
public class LstmDetector extends AnomalyDetector<LstmDetectorModel, LstmDetector>
        implements LstmParams<LstmDetector>, MLWritable {

    private final LstmParamSet lstmParamSet;
    /** The table of the fit under way, between {@link #fit} and the hooks it calls. */
    private transient SeriesTable fitting;

    public LstmDetector(String uid) {
        super(uid, LstmParamSet.DEFAULT_SEED);
        this.lstmParamSet = new LstmParamSet(this);
        setDefault(maxIter(), LstmParamSet.DEFAULT_MAX_ITER);
        setDefault(contamination(), LstmParamSet.DEFAULT_CONTAMINATION);
    }

    public LstmDetector() {
        this(Identifiable$.MODULE$.randomUID("lstmDetector"));
    }

    @Override
    public LstmParamSet lstmParamSet() {
        return lstmParamSet;
    }

    @Override
    public LstmDetectorModel fit(Dataset<?> dataset, Training.EpochListener listener) {
        transformSchema(dataset.schema());
        fitting = SeriesTable.of(dataset, seriesColumns(), getHandleInvalid(), getWindowSpan() + getTargetSteps(),
                reconstructs() ? "(windowSize - 1) * windowStride + 1" : "(windowSize - 1) * windowStride + 1 + horizon");
        try {
            LstmDetectorModel model = super.fit(dataset, listener);
            return model.calibrate(dataset, getContamination());
        } finally {
            fitting = null;
        }
    }

    @Override
    protected TrainingRows trainingRows(Dataset<?> dataset) {
        int workers = getNumWorkers() > 0 ? getNumWorkers() : dataset.sparkSession().sparkContext().defaultParallelism();
        return new TrainingRows(SeriesWindows.of(fitting, getWindowSize(), getWindowStride(), getTargetSteps(),
                workers, getSeed()), (getWindowSize() + getTargetSteps()) * getValueCols().length);
    }

    /** Each series is scaled by its own statistics while its windows are cut: nothing more to do here. */
    @Override
    protected Standardization standardization(TrainingRows training) {
        return Standardization.identity(training.numFeatures());
    }

    @Override
    protected String detectorName() {
        return "lstm";
    }

    @Override
    protected LocalStep localStep(int numFeatures) {
        return step();
    }

    private LstmWindowStep step() {
        if (reconstructs()) {
            return new LstmReconstructStep(getValueCols().length, getWindowSize(), getHiddenSize(), getNumLayers(),
                    getStepSize(), getSeed());
        }
        return new LstmForecastStep(getValueCols().length, getWindowSize(), getHorizon(), getHiddenSize(),
                getNumLayers(), getStepSize(), getSeed());
    }

    /** The windows' forecast (or reconstruction) errors: what the shared fit summarizes; {@link LstmDetectorModel#calibrate} replaces it. */
    @Override
    protected NetworksScore trainingScore(Training.Result result, List<ErrorScales> scales) {
        LstmWindowStep step = step();
        return (networks, batch) -> step.errors(networks.get(0), batch.input());
    }

    @Override
    protected LstmDetectorModel createModel(Training.Result result, Standardization standardization,
            TrainingScores.Summary scores, List<ErrorScales> scales) {
        return new LstmDetectorModel(uid(), result.network(), fitting.stats(), Double.NaN, null)
                .withTrainingSummary(TrainingSummary.of(result));
    }

    @Override
    public StructType transformSchema(StructType schema) {
        LstmDetectorModel.checkSeriesInput(this, schema);
        return AnomalyDetectorModel.outputSchema(this, schema, getContamination() > 0, FeatureExplanation.TYPE);
    }

    @Override
    public MLWriter write() {
        return new StageWriter(this);
    }

    public static MLReader<LstmDetector> read() {
        return new StageReader<>(LstmDetector.class, (uid, fs, dir) -> new LstmDetector(uid));
    }

    public static LstmDetector load(String path) {
        return read().load(path);
    }
}
