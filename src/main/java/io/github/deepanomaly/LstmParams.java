package io.github.deepanomaly;

import io.github.deepanomaly.core.TrainingParams;
import io.github.deepanomaly.series.SeriesColumns;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.Params;
import org.apache.spark.ml.param.StringArrayParam;

/**
 * Params of the LSTM detector, shared by {@link LstmDetector} and its model. The shared featuresCol param
 * is not used: the detector reads a long-format table (time, values, optional series).
 *
 * @param <T> the implementing stage, returned by the fluent setters
 */
public interface LstmParams<T extends LstmParams<T>> extends TrainingParams<T> {

    LstmParamSet lstmParamSet();

    default Param<String> timeCol() {
        return lstmParamSet().timeCol;
    }

    default StringArrayParam valueCols() {
        return lstmParamSet().valueCols;
    }

    default Param<String> seriesCol() {
        return lstmParamSet().seriesCol;
    }

    default IntParam windowSize() {
        return lstmParamSet().windowSize;
    }

    default IntParam windowStride() {
        return lstmParamSet().windowStride;
    }

    default IntParam horizon() {
        return lstmParamSet().horizon;
    }

    default IntParam hiddenSize() {
        return lstmParamSet().hiddenSize;
    }

    default IntParam numLayers() {
        return lstmParamSet().numLayers;
    }

    default IntParam smoothingSpan() {
        return lstmParamSet().smoothingSpan;
    }

    default Param<String> thresholdMethod() {
        return lstmParamSet().thresholdMethod;
    }

    default Param<String> method() {
        return lstmParamSet().method;
    }

    default String getMethod() {
        return getOrDefault(method());
    }

    default T setMethod(String value) {
        return cast(set(method(), value));
    }

    default boolean reconstructs() {
        return LstmParamSet.METHOD_RECONSTRUCT.equals(getMethod());
    }

    /** Steps after the window that a training window carries as its target: horizon to forecast, none to reconstruct. */
    default int getTargetSteps() {
        return reconstructs() ? 0 : getHorizon();
    }

    default DoubleParam thresholdMinDrop() {
        return lstmParamSet().thresholdMinDrop;
    }

    default double getThresholdMinDrop() {
        return (Double) getOrDefault(thresholdMinDrop());
    }

    default T setThresholdMinDrop(double value) {
        return cast(set(thresholdMinDrop(), value));
    }

    default String getThresholdMethod() {
        return getOrDefault(thresholdMethod());
    }

    default T setThresholdMethod(String value) {
        return cast(set(thresholdMethod(), value));
    }

    default String getTimeCol() {
        return getOrDefault(timeCol());
    }

    default String[] getValueCols() {
        return getOrDefault(valueCols());
    }

    default String getSeriesCol() {
        return getOrDefault(seriesCol());
    }

    default int getWindowSize() {
        return (Integer) getOrDefault(windowSize());
    }

    default int getWindowStride() {
        return (Integer) getOrDefault(windowStride());
    }

    /** Steps from a window's first sample to its last: (windowSize - 1) * windowStride + 1. */
    default int getWindowSpan() {
        return (getWindowSize() - 1) * getWindowStride() + 1;
    }

    default int getHorizon() {
        return (Integer) getOrDefault(horizon());
    }

    default int getHiddenSize() {
        return (Integer) getOrDefault(hiddenSize());
    }

    default int getNumLayers() {
        return (Integer) getOrDefault(numLayers());
    }

    default int getSmoothingSpan() {
        return (Integer) getOrDefault(smoothingSpan());
    }

    default T setTimeCol(String value) {
        return cast(set(timeCol(), value));
    }

    default T setValueCols(String... value) {
        return cast(set(valueCols(), value));
    }

    default T setSeriesCol(String value) {
        return cast(set(seriesCol(), value));
    }

    default T setWindowSize(int value) {
        return cast(set(windowSize(), value));
    }

    default T setWindowStride(int value) {
        return cast(set(windowStride(), value));
    }

    default T setHorizon(int value) {
        return cast(set(horizon(), value));
    }

    default T setHiddenSize(int value) {
        return cast(set(hiddenSize(), value));
    }

    default T setNumLayers(int value) {
        return cast(set(numLayers(), value));
    }

    default T setSmoothingSpan(int value) {
        return cast(set(smoothingSpan(), value));
    }

    default IntParam seasonalCycles() {
        return lstmParamSet().seasonalCycles;
    }

    default int getSeasonalCycles() {
        return (Integer) getOrDefault(seasonalCycles());
    }

    default T setSeasonalCycles(int value) {
        return cast(set(seasonalCycles(), value));
    }

    default IntParam seasonalSmoothingSpan() {
        return lstmParamSet().seasonalSmoothingSpan;
    }

    default int getSeasonalSmoothingSpan() {
        return (Integer) getOrDefault(seasonalSmoothingSpan());
    }

    default T setSeasonalSmoothingSpan(int value) {
        return cast(set(seasonalSmoothingSpan(), value));
    }

    /** The input columns these params name, checked against nothing yet. */
    default SeriesColumns seriesColumns() {
        return new SeriesColumns(getTimeCol(), getValueCols(), getSeriesCol());
    }

    @SuppressWarnings("unchecked")
    private T cast(Params updated) {
        return (T) updated;
    }
}
