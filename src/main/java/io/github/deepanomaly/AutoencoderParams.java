package io.github.deepanomaly;

import io.github.deepanomaly.core.TrainingParams;
import org.apache.spark.ml.param.BooleanParam;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntArrayParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.Params;

/**
 * Params of the dense autoencoder, shared by {@link AutoencoderDetector} and its model (which keeps the
 * values it was trained with, as Spark's own models do).
 *
 * @param <T> the implementing stage, returned by the fluent setters
 */
public interface AutoencoderParams<T extends AutoencoderParams<T>> extends TrainingParams<T> {

    /** The autoencoder's Param objects of this instance. */
    AutoencoderParamSet autoencoderParamSet();

    default IntArrayParam hiddenLayers() {
        return autoencoderParamSet().hiddenLayers;
    }

    default Param<String> activation() {
        return autoencoderParamSet().activation;
    }

    default DoubleParam trimFraction() {
        return autoencoderParamSet().trimFraction;
    }

    default double getTrimFraction() {
        return (Double) getOrDefault(trimFraction());
    }

    default T setTrimFraction(double value) {
        return cast(set(trimFraction(), value));
    }

    default BooleanParam weightedTrim() {
        return autoencoderParamSet().weightedTrim;
    }

    default boolean getWeightedTrim() {
        return (Boolean) getOrDefault(weightedTrim());
    }

    default T setWeightedTrim(boolean value) {
        return cast(set(weightedTrim(), value));
    }

    default DoubleParam inputNoise() {
        return autoencoderParamSet().inputNoise;
    }

    default double getInputNoise() {
        return (Double) getOrDefault(inputNoise());
    }

    default T setInputNoise(double value) {
        return cast(set(inputNoise(), value));
    }

    default BooleanParam plainNetwork() {
        return autoencoderParamSet().plainNetwork;
    }

    default boolean getPlainNetwork() {
        return (Boolean) getOrDefault(plainNetwork());
    }

    default T setPlainNetwork(boolean value) {
        return cast(set(plainNetwork(), value));
    }

    /** Whether training gives the model two networks: a plain one beside the denoising one. */
    default boolean trainsPlainNetwork() {
        return getPlainNetwork() && getInputNoise() > 0;
    }

    default Param<String> errorScaling() {
        return autoencoderParamSet().errorScaling;
    }

    default String getErrorScaling() {
        return getOrDefault(errorScaling());
    }

    default T setErrorScaling(String value) {
        return cast(set(errorScaling(), value));
    }

    default DoubleParam errorLimit() {
        return autoencoderParamSet().errorLimit;
    }

    default double getErrorLimit() {
        return (Double) getOrDefault(errorLimit());
    }

    default T setErrorLimit(double value) {
        return cast(set(errorLimit(), value));
    }

    default IntParam denoisingPasses() {
        return autoencoderParamSet().denoisingPasses;
    }

    default int getDenoisingPasses() {
        return (Integer) getOrDefault(denoisingPasses());
    }

    default T setDenoisingPasses(int value) {
        return cast(set(denoisingPasses(), value));
    }

    default int[] getHiddenLayers() {
        return getOrDefault(hiddenLayers());
    }

    default String getActivation() {
        return getOrDefault(activation());
    }

    default T setHiddenLayers(int... value) {
        return cast(set(hiddenLayers(), value));
    }

    default T setActivation(String value) {
        return cast(set(activation(), value));
    }

    @SuppressWarnings("unchecked")
    private T cast(Params updated) {
        return (T) updated;
    }
}
