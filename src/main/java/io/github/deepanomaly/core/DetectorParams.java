package io.github.deepanomaly.core;

import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.Params;

/**
 * Params shared by every detector and its model. An interface with default methods so that both the
 * Estimator and the Model (which extend different Spark classes) expose the same accessors and
 * {@code copyValues} carries them from one to the other.
 *
 * @param <T> the implementing stage, returned by the fluent setters
 */
public interface DetectorParams<T extends DetectorParams<T>> extends Params {

    /** The Param objects of this instance. */
    DetectorParamSet detectorParamSet();

    default Param<String> featuresCol() {
        return detectorParamSet().featuresCol;
    }

    default Param<String> scoreCol() {
        return detectorParamSet().scoreCol;
    }

    default Param<String> predictionCol() {
        return detectorParamSet().predictionCol;
    }

    default DoubleParam contamination() {
        return detectorParamSet().contamination;
    }

    default Param<String> handleInvalid() {
        return detectorParamSet().handleInvalid;
    }

    default Param<String> explanationCol() {
        return detectorParamSet().explanationCol;
    }

    default IntParam explainTopK() {
        return detectorParamSet().explainTopK;
    }

    default Param<String> normalizedScoreCol() {
        return detectorParamSet().normalizedScoreCol;
    }

    default Param<String> normalization() {
        return detectorParamSet().normalization;
    }

    default Param<String> confidenceCol() {
        return detectorParamSet().confidenceCol;
    }

    default String getFeaturesCol() {
        return getOrDefault(featuresCol());
    }

    default String getScoreCol() {
        return getOrDefault(scoreCol());
    }

    default String getPredictionCol() {
        return getOrDefault(predictionCol());
    }

    default double getContamination() {
        return (Double) getOrDefault(contamination());
    }

    default String getHandleInvalid() {
        return getOrDefault(handleInvalid());
    }

    default String getExplanationCol() {
        return getOrDefault(explanationCol());
    }

    default int getExplainTopK() {
        return (Integer) getOrDefault(explainTopK());
    }

    default String getNormalizedScoreCol() {
        return getOrDefault(normalizedScoreCol());
    }

    default String getNormalization() {
        return getOrDefault(normalization());
    }

    default String getConfidenceCol() {
        return getOrDefault(confidenceCol());
    }

    default T setFeaturesCol(String value) {
        return self(set(featuresCol(), value));
    }

    default T setScoreCol(String value) {
        return self(set(scoreCol(), value));
    }

    default T setPredictionCol(String value) {
        return self(set(predictionCol(), value));
    }

    default T setContamination(double value) {
        return self(set(contamination(), value));
    }

    default T setHandleInvalid(String value) {
        return self(set(handleInvalid(), value));
    }

    default T setExplanationCol(String value) {
        return self(set(explanationCol(), value));
    }

    default T setExplainTopK(int value) {
        return self(set(explainTopK(), value));
    }

    default T setNormalizedScoreCol(String value) {
        return self(set(normalizedScoreCol(), value));
    }

    default T setNormalization(String value) {
        return self(set(normalization(), value));
    }

    default T setConfidenceCol(String value) {
        return self(set(confidenceCol(), value));
    }

    @SuppressWarnings("unchecked")
    private T self(Params updated) {
        return (T) updated;
    }
}
