package io.github.deepanomaly;

import io.github.deepanomaly.core.DetectorParams;
import org.apache.spark.ml.param.BooleanParam;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntArrayParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.Params;

/**
 * Params of the dense autoencoder, shared by {@link AutoencoderDetector} and its model (which keeps the
 * values it was trained with, as Spark's own models do).
 *
 * @param <T> the implementing stage, returned by the fluent setters
 */
public interface AutoencoderParams<T extends AutoencoderParams<T>> extends DetectorParams<T> {

    /** The autoencoder's Param objects of this instance. */
    AutoencoderParamSet autoencoderParamSet();

    default IntArrayParam hiddenLayers() {
        return autoencoderParamSet().hiddenLayers;
    }

    default Param<String> activation() {
        return autoencoderParamSet().activation;
    }

    default IntParam maxIter() {
        return autoencoderParamSet().maxIter;
    }

    default IntParam batchSize() {
        return autoencoderParamSet().batchSize;
    }

    default DoubleParam stepSize() {
        return autoencoderParamSet().stepSize;
    }

    default LongParam seed() {
        return autoencoderParamSet().seed;
    }

    default BooleanParam standardization() {
        return autoencoderParamSet().standardization;
    }

    default IntParam numWorkers() {
        return autoencoderParamSet().numWorkers;
    }

    default IntParam averagingFrequency() {
        return autoencoderParamSet().averagingFrequency;
    }

    default int[] getHiddenLayers() {
        return getOrDefault(hiddenLayers());
    }

    default String getActivation() {
        return getOrDefault(activation());
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

    default T setHiddenLayers(int... value) {
        return cast(set(hiddenLayers(), value));
    }

    default T setActivation(String value) {
        return cast(set(activation(), value));
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

    @SuppressWarnings("unchecked")
    private T cast(Params updated) {
        return (T) updated;
    }
}
