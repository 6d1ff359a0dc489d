package io.github.deepanomaly.core;

import org.apache.spark.ml.param.BooleanParam;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.Params;

/**
 * Training params every detector shares (epochs, minibatches, learning rate, workers, averaging, early
 * stopping, engine), for the Estimator and, with the values it was trained with, its Model.
 *
 * @param <T> the implementing stage, returned by the fluent setters
 */
public interface TrainingParams<T extends TrainingParams<T>> extends DetectorParams<T> {

    /** The training Param objects of this instance. */
    TrainingParamSet trainingParamSet();

    default IntParam maxIter() {
        return trainingParamSet().maxIter;
    }

    default IntParam batchSize() {
        return trainingParamSet().batchSize;
    }

    default DoubleParam stepSize() {
        return trainingParamSet().stepSize;
    }

    default LongParam seed() {
        return trainingParamSet().seed;
    }

    default BooleanParam standardization() {
        return trainingParamSet().standardization;
    }

    default IntParam numWorkers() {
        return trainingParamSet().numWorkers;
    }

    default IntParam averagingFrequency() {
        return trainingParamSet().averagingFrequency;
    }

    default DoubleParam validationFraction() {
        return trainingParamSet().validationFraction;
    }

    default IntParam patience() {
        return trainingParamSet().patience;
    }

    default IntParam minSteps() {
        return trainingParamSet().minSteps;
    }

    default Param<String> trainingEngine() {
        return trainingParamSet().trainingEngine;
    }

    default int getMaxIter() {
        return (Integer) getOrDefault(maxIter());
    }

    default int getBatchSize() {
        return (Integer) getOrDefault(batchSize());
    }

    default double getStepSize() {
        return (Double) getOrDefault(stepSize());
    }

    default long getSeed() {
        return (Long) getOrDefault(seed());
    }

    default boolean getStandardization() {
        return (Boolean) getOrDefault(standardization());
    }

    default int getNumWorkers() {
        return (Integer) getOrDefault(numWorkers());
    }

    default int getAveragingFrequency() {
        return (Integer) getOrDefault(averagingFrequency());
    }

    default double getValidationFraction() {
        return (Double) getOrDefault(validationFraction());
    }

    default int getPatience() {
        return (Integer) getOrDefault(patience());
    }

    default int getMinSteps() {
        return (Integer) getOrDefault(minSteps());
    }

    default String getTrainingEngine() {
        return getOrDefault(trainingEngine());
    }

    default T setMaxIter(int value) {
        return cast(set(maxIter(), value));
    }

    default T setBatchSize(int value) {
        return cast(set(batchSize(), value));
    }

    default T setStepSize(double value) {
        return cast(set(stepSize(), value));
    }

    default T setSeed(long value) {
        return cast(set(seed(), value));
    }

    default T setStandardization(boolean value) {
        return cast(set(standardization(), value));
    }

    default T setNumWorkers(int value) {
        return cast(set(numWorkers(), value));
    }

    default T setAveragingFrequency(int value) {
        return cast(set(averagingFrequency(), value));
    }

    default T setValidationFraction(double value) {
        return cast(set(validationFraction(), value));
    }

    default T setPatience(int value) {
        return cast(set(patience(), value));
    }

    default T setMinSteps(int value) {
        return cast(set(minSteps(), value));
    }

    default T setTrainingEngine(String value) {
        return cast(set(trainingEngine(), value));
    }

    @SuppressWarnings("unchecked")
    private T cast(Params updated) {
        return (T) updated;
    }
}
