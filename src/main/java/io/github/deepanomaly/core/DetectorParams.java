package io.github.deepanomaly.core;

import org.apache.spark.ml.param.DoubleParam;
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

    @SuppressWarnings("unchecked")
    private T self(Params updated) {
        return (T) updated;
    }
}
