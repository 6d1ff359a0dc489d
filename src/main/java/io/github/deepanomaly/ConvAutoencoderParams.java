package io.github.deepanomaly;

import io.github.deepanomaly.core.TrainingParams;
import io.github.deepanomaly.image.ImageShape;
import org.apache.spark.ml.param.IntArrayParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.Params;

/**
 * Params of the convolutional autoencoder, shared by {@link ConvAutoencoderDetector} and its model (which
 * holds the image size it was trained on).
 *
 * @param <T> the implementing stage, returned by the fluent setters
 */
public interface ConvAutoencoderParams<T extends ConvAutoencoderParams<T>> extends TrainingParams<T> {

    ConvAutoencoderParamSet convAutoencoderParamSet();

    default IntParam imageHeight() {
        return convAutoencoderParamSet().imageHeight;
    }

    default IntParam imageWidth() {
        return convAutoencoderParamSet().imageWidth;
    }

    default IntParam imageChannels() {
        return convAutoencoderParamSet().imageChannels;
    }

    default IntArrayParam filters() {
        return convAutoencoderParamSet().filters;
    }

    default IntParam kernelSize() {
        return convAutoencoderParamSet().kernelSize;
    }

    default IntParam latentSize() {
        return convAutoencoderParamSet().latentSize;
    }

    default int getImageHeight() {
        return (Integer) getOrDefault(imageHeight());
    }

    default int getImageWidth() {
        return (Integer) getOrDefault(imageWidth());
    }

    default int getImageChannels() {
        return (Integer) getOrDefault(imageChannels());
    }

    default int[] getFilters() {
        return getOrDefault(filters());
    }

    default int getKernelSize() {
        return (Integer) getOrDefault(kernelSize());
    }

    default int getLatentSize() {
        return (Integer) getOrDefault(latentSize());
    }

    default T setImageHeight(int value) {
        return cast(set(imageHeight(), value));
    }

    default T setImageWidth(int value) {
        return cast(set(imageWidth(), value));
    }

    default T setImageChannels(int value) {
        return cast(set(imageChannels(), value));
    }

    default T setFilters(int... value) {
        return cast(set(filters(), value));
    }

    default T setKernelSize(int value) {
        return cast(set(kernelSize(), value));
    }

    default T setLatentSize(int value) {
        return cast(set(latentSize(), value));
    }

    /** The image size, when all three params are set (a model always has them). */
    default ImageShape imageShape() {
        return new ImageShape(getImageHeight(), getImageWidth(), getImageChannels());
    }

    @SuppressWarnings("unchecked")
    private T cast(Params updated) {
        return (T) updated;
    }
}
