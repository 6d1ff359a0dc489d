package io.github.deepanomaly;

import io.github.deepanomaly.series.DynamicThreshold;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.param.Params;
import org.apache.spark.ml.param.StringArrayParam;

/** The Param objects of one {@link LstmDetector} or {@link LstmDetectorModel} instance. */
public final class LstmParamSet {
    static final long DEFAULT_SEED = "LstmDetector".hashCode();
    public static final int DEFAULT_WINDOW_SIZE = 32;
    public static final int DEFAULT_WINDOW_STRIDE = 8;
    public static final int DEFAULT_HORIZON = 1;
    public static final int DEFAULT_HIDDEN_SIZE = 16;
    public static final int DEFAULT_NUM_LAYERS = 1;
    public static final int DEFAULT_SMOOTHING_SPAN = 144;
    public static final int DEFAULT_MAX_ITER = 5;
    public static final int DEFAULT_SEASONAL_CYCLES = 3;
    public static final int DEFAULT_SEASONAL_SMOOTHING_SPAN = 48;
    public static final double DEFAULT_CONTAMINATION = 0.01;
    public static final String THRESHOLD_CONTAMINATION = "contamination";
    public static final String THRESHOLD_DYNAMIC = "dynamic";
    public static final String METHOD_FORECAST = "forecast";
    public static final String METHOD_RECONSTRUCT = "reconstruct";

    final Param<String> timeCol;
    final StringArrayParam valueCols;
    final Param<String> seriesCol;
    final IntParam windowSize;
    final IntParam windowStride;
    final IntParam horizon;
    final IntParam hiddenSize;
    final IntParam numLayers;
    final IntParam smoothingSpan;
    final Param<String> thresholdMethod;
    final Param<String> method;
    final DoubleParam thresholdMinDrop;
    final IntParam seasonalCycles;
    final IntParam seasonalSmoothingSpan;

    LstmParamSet(Params owner) {
        timeCol = new Param<>(owner, "timeCol", "time column: a timestamp, date or number; rows are ordered by it"
                + " within each series (the input need not be sorted)");
        valueCols = new StringArrayParam(owner, "valueCols", "numeric value columns, one per variable of the"
                + " series (several for a multivariate series)");
        seriesCol = new Param<>(owner, "seriesCol", "column naming the series a row belongs to (e.g. a host or"
                + " sensor id), each windowed and scaled on its own, one model for all; empty (default): one series");
        windowSize = new IntParam(owner, "windowSize", "time steps the network reads to forecast the next, >= 2",
                ParamValidators.gtEq(2));
        windowStride = new IntParam(owner, "windowStride", "steps between two of the window's samples, >= 1: the"
                + " window reads every windowStride-th of the last (windowSize - 1) * windowStride + 1 steps, so that"
                + " it can span a whole cycle (e.g. a day) at the cost of windowSize steps; 1 = consecutive steps",
                ParamValidators.gtEq(1));
        horizon = new IntParam(owner, "horizon", "time steps the network learns to forecast after each window,"
                + " >= 1; a row's score uses the forecast of its own step, from the window just before it",
                ParamValidators.gtEq(1));
        hiddenSize = new IntParam(owner, "hiddenSize", "units of each LSTM layer, >= 1", ParamValidators.gtEq(1));
        numLayers = new IntParam(owner, "numLayers", "stacked LSTM layers, >= 1", ParamValidators.gtEq(1));
        smoothingSpan = new IntParam(owner, "smoothingSpan", "span N of the exponentially weighted moving average"
                + " (weight 2 / (N + 1) on the newest step) that smooths each series' forecast errors before they"
                + " are scored, >= 1; 1 = no smoothing", ParamValidators.gtEq(1));
        thresholdMethod = new Param<>(owner, "thresholdMethod", "how prediction is set: 'dynamic' (LSTM-DT's"
                + " non-parametric threshold, one per series from its smoothed training errors: the score is measured"
                + " from it, so prediction = score >= 0) or 'contamination' (score measured from the series' median"
                + " error, one threshold for all series: the (1 - contamination) quantile of the training rows' scores)",
                ParamValidators.inArray(new String[] {THRESHOLD_DYNAMIC, THRESHOLD_CONTAMINATION}));
        method = new Param<>(owner, "method", "what the network learns from a window: 'forecast' (LSTM-DT: the"
                + " horizon steps after it; a row is scored by the forecast of its step from the window just before it)"
                + " or 'reconstruct' (an LSTM autoencoder: the window itself; a row is scored by the reconstruction of its"
                + " step in the window that ends at it)",
                ParamValidators.inArray(new String[] {METHOD_FORECAST, METHOD_RECONSTRUCT}));
        thresholdMinDrop = new DoubleParam(owner, "thresholdMinDrop", "with thresholdMethod 'dynamic': the smallest"
                + " drop, as a share of the larger, from one flagged sequence's highest error to the next (or to the"
                + " highest error below the threshold) that keeps the sequence (Orion's min_percent, telemanom's p);"
                + " smaller keeps more; read at fit time, in [0, 1]", ParamValidators.inRange(0, 1));
        seasonalCycles = new IntParam(owner, "seasonalCycles", "earlier cycles a step is compared with, >= 0: each"
                + " series' seasonal period is found on its training rows (the highest autocorrelation after it first"
                + " turns negative, if at least 0.5, among periods the series holds seasonalCycles + 1 times); for a"
                + " series with one, a step's error adds to its forecast error its distance from the mean of the steps"
                + " 1..seasonalCycles periods before it, each in units of its training mean, so that a different day"
                + " (a holiday, a changed level) that a one-step forecast follows within a few steps still scores;"
                + " 0 = forecast error only. Read at fit time", ParamValidators.gtEq(0));
        seasonalSmoothingSpan = new IntParam(owner, "seasonalSmoothingSpan", "span N of the EWMA that smooths each"
                + " series' seasonal errors (see seasonalCycles), >= 1; 1 = no smoothing", ParamValidators.gtEq(1));
        owner.setDefault(timeCol, "timestamp");
        owner.setDefault(valueCols, new String[] {"value"});
        owner.setDefault(seriesCol, "");
        owner.setDefault(windowSize, DEFAULT_WINDOW_SIZE);
        owner.setDefault(windowStride, DEFAULT_WINDOW_STRIDE);
        owner.setDefault(horizon, DEFAULT_HORIZON);
        owner.setDefault(hiddenSize, DEFAULT_HIDDEN_SIZE);
        owner.setDefault(numLayers, DEFAULT_NUM_LAYERS);
        owner.setDefault(smoothingSpan, DEFAULT_SMOOTHING_SPAN);
        owner.setDefault(thresholdMethod, THRESHOLD_DYNAMIC);
        owner.setDefault(method, METHOD_FORECAST);
        owner.setDefault(thresholdMinDrop, DynamicThreshold.DEFAULT_MIN_DROP);
        owner.setDefault(seasonalCycles, DEFAULT_SEASONAL_CYCLES);
        owner.setDefault(seasonalSmoothingSpan, DEFAULT_SEASONAL_SMOOTHING_SPAN);
    }
}
