package io.github.deepanomaly;

import io.github.deepanomaly.core.TrainingParams;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntArrayParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.Params;

/**
 * Params of the GAN detector, shared by {@link GanDetector} and its model (which keeps the values it was
 * trained with, as Spark's own models do). {@code stepSize} is the encoder's and generator's learning rate.
 *
 * @param <T> the implementing stage, returned by the fluent setters
 */
public interface GanParams<T extends GanParams<T>> extends TrainingParams<T> {

    /** The GAN's Param objects of this instance. */
    GanParamSet ganParamSet();

    default IntArrayParam hiddenLayers() {
        return ganParamSet().hiddenLayers;
    }

    default int[] getHiddenLayers() {
        return getOrDefault(hiddenLayers());
    }

    default T setHiddenLayers(int... value) {
        return cast(set(hiddenLayers(), value));
    }

    default IntParam latentSize() {
        return ganParamSet().latentSize;
    }

    default int getLatentSize() {
        return (Integer) getOrDefault(latentSize());
    }

    default T setLatentSize(int value) {
        return cast(set(latentSize(), value));
    }

    default Param<String> activation() {
        return ganParamSet().activation;
    }

    default String getActivation() {
        return getOrDefault(activation());
    }

    default T setActivation(String value) {
        return cast(set(activation(), value));
    }

    default DoubleParam discriminatorStepSize() {
        return ganParamSet().discriminatorStepSize;
    }

    default double getDiscriminatorStepSize() {
        return (Double) getOrDefault(discriminatorStepSize());
    }

    default T setDiscriminatorStepSize(double value) {
        return cast(set(discriminatorStepSize(), value));
    }

    default IntParam discriminatorSteps() {
        return ganParamSet().discriminatorSteps;
    }

    default int getDiscriminatorSteps() {
        return (Integer) getOrDefault(discriminatorSteps());
    }

    default T setDiscriminatorSteps(int value) {
        return cast(set(discriminatorSteps(), value));
    }

    default DoubleParam adversarialWeight() {
        return ganParamSet().adversarialWeight;
    }

    default double getAdversarialWeight() {
        return (Double) getOrDefault(adversarialWeight());
    }

    default T setAdversarialWeight(double value) {
        return cast(set(adversarialWeight(), value));
    }

    default DoubleParam labelSmoothing() {
        return ganParamSet().labelSmoothing;
    }

    default double getLabelSmoothing() {
        return (Double) getOrDefault(labelSmoothing());
    }

    default T setLabelSmoothing(double value) {
        return cast(set(labelSmoothing(), value));
    }

    default Param<String> scoreMethod() {
        return ganParamSet().scoreMethod;
    }

    default String getScoreMethod() {
        return getOrDefault(scoreMethod());
    }

    default T setScoreMethod(String value) {
        return cast(set(scoreMethod(), value));
    }

    default DoubleParam scoreWeight() {
        return ganParamSet().scoreWeight;
    }

    default double getScoreWeight() {
        return (Double) getOrDefault(scoreWeight());
    }

    default T setScoreWeight(double value) {
        return cast(set(scoreWeight(), value));
    }

    default DoubleParam trimFraction() {
        return ganParamSet().trimFraction;
    }

    default double getTrimFraction() {
        return (Double) getOrDefault(trimFraction());
    }

    default T setTrimFraction(double value) {
        return cast(set(trimFraction(), value));
    }

    @SuppressWarnings("unchecked")
    private T cast(Params updated) {
        return (T) updated;
    }
}
