package io.github.deepanomaly;

import io.github.deepanomaly.core.TrainingParamSet;
import io.github.deepanomaly.core.Validators;
import org.apache.spark.ml.param.IntArrayParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.param.Params;

/** The Param objects of one {@link ConvAutoencoderDetector} or {@link ConvAutoencoderDetectorModel} instance. */
public final class ConvAutoencoderParamSet {
    static final long DEFAULT_SEED = "ConvAutoencoderDetector".hashCode();
    /** Spark's image source names its column "image". */
    static final String DEFAULT_FEATURES_COL = "image";
    /**
     * Defaults measured on MNIST digit 2 (the images suite, seed 42), confirmed on the other nine (README,
     * "Images"): filters [32, 16] took ~3x the time per epoch of [16, 8] under the same load (30 s vs 11 s), and
     * with upsampling layers instead of transposed convolutions no epoch finished in 2 minutes; [16, 8] at
     * stepSize 1e-3 and 32 images per minibatch reached AUC-ROC 0.650 in 10 epochs (loss 0.074), at 1e-2 and 16
     * images 0.917 in 20 (loss 0.025, still falling).
     */
    static final int[] DEFAULT_FILTERS = {16, 8};
    static final int DEFAULT_KERNEL_SIZE = 3;
    static final int DEFAULT_LATENT_SIZE = 32;
    static final int DEFAULT_MAX_ITER = 20;
    static final int DEFAULT_BATCH_SIZE = 16;
    static final double DEFAULT_STEP_SIZE = 1e-2;

    final IntParam imageHeight;
    final IntParam imageWidth;
    final IntParam imageChannels;
    final IntArrayParam filters;
    final IntParam kernelSize;
    final IntParam latentSize;

    ConvAutoencoderParamSet(Params owner) {
        imageHeight = new IntParam(owner, "imageHeight", "image height in pixels; 0 (default): from the first image"
                + " of an image column (a Vector or array column needs it set)", ParamValidators.gtEq(0));
        imageWidth = new IntParam(owner, "imageWidth", "image width in pixels; 0 (default): from the first image"
                + " of an image column (a Vector or array column needs it set)", ParamValidators.gtEq(0));
        imageChannels = new IntParam(owner, "imageChannels", "channels per pixel, 1 grey, 3 colour, 4 colour with"
                + " alpha; 0 (default): from the first image, or from a vector's length", ParamValidators.gtEq(0));
        filters = new IntArrayParam(owner, "filters", "convolution filters of each encoder layer, outermost first;"
                + " each layer halves the image's sides (2x2 max pooling), the decoder mirrors them",
                Validators.allPositive());
        kernelSize = new IntParam(owner, "kernelSize", "side of the square convolution kernels, >= 1",
                ParamValidators.gtEq(1));
        latentSize = new IntParam(owner, "latentSize", "size of the dense bottleneck between encoder and decoder,"
                + " >= 1", ParamValidators.gtEq(1));
        owner.setDefault(imageHeight, 0);
        owner.setDefault(imageWidth, 0);
        owner.setDefault(imageChannels, 0);
        owner.setDefault(filters, DEFAULT_FILTERS);
        owner.setDefault(kernelSize, DEFAULT_KERNEL_SIZE);
        owner.setDefault(latentSize, DEFAULT_LATENT_SIZE);
    }

    /**
     * This detector's own defaults of shared params: pixels already lie in [0, 1] and per-pixel
     * standardization would blow up the noise of border pixels that are nearly always 0.
     */
    static void setSharedDefaults(ConvAutoencoderParams<?> owner) {
        owner.setDefault(owner.featuresCol(), DEFAULT_FEATURES_COL);
        owner.setDefault(owner.standardization(), false);
        owner.setDefault(owner.maxIter(), DEFAULT_MAX_ITER);
        owner.setDefault(owner.batchSize(), DEFAULT_BATCH_SIZE);
        owner.setDefault(owner.stepSize(), DEFAULT_STEP_SIZE);
    }
}
