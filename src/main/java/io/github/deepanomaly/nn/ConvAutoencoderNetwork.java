package io.github.deepanomaly.nn;

import io.github.deepanomaly.image.ImageShape;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.Deconvolution2D;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.CnnLossLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.layers.ZeroPaddingLayer;
import org.deeplearning4j.nn.conf.layers.convolutional.Cropping2D;
import org.deeplearning4j.nn.conf.preprocessor.FeedForwardToCnnPreProcessor;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * A convolutional autoencoder: per entry of {@code filters} a same-size convolution and a 2x2 max pooling
 * down, a dense bottleneck of {@code latentSize}, then back up: a dense layer to the smallest feature maps
 * and per entry a transposed convolution of stride 2 (the filters mirrored, the last one to the image's
 * channels), and a sigmoid: a reconstruction in [0, 1] like the input pixels, compared by mean squared
 * error. Transposed convolutions rather than upsampling and convolution: the same shapes for a quarter of
 * the arithmetic at full resolution, where a decoder spends most of it. The input is flat rows of
 * {@link ImageShape#size()} values, channel first, so that a minibatch is a plain [rows, values] matrix;
 * the output is [rows, channels, height, width], the same values in the same order. Images whose sides are not multiples of 2^layers are zero-padded at the
 * bottom and right first and cropped back at the end.
 */
public final class ConvAutoencoderNetwork {
    private ConvAutoencoderNetwork() {
    }

    public static MultiLayerNetwork build(ImageShape shape, int[] filters, int kernelSize, int latentSize,
            double stepSize, long seed) {
        int factor = 1 << filters.length;
        int paddedHeight = roundUp(shape.height(), factor);
        int paddedWidth = roundUp(shape.width(), factor);
        int codeHeight = paddedHeight / factor;
        int codeWidth = paddedWidth / factor;
        int deepest = filters[filters.length - 1];
        NeuralNetConfiguration.ListBuilder layers = new NeuralNetConfiguration.Builder()
                .seed(seed)
                .weightInit(WeightInit.RELU)
                .updater(new Adam(stepSize))
                .convolutionMode(ConvolutionMode.Same)
                .list();
        int padBottom = paddedHeight - shape.height();
        int padRight = paddedWidth - shape.width();
        boolean padded = padBottom > 0 || padRight > 0;
        int count = 0;
        if (padded) {
            layers.layer(count++, new ZeroPaddingLayer.Builder(0, padBottom, 0, padRight).build());
        }
        for (int f : filters) {
            layers.layer(count++, conv(f, kernelSize, Activation.RELU));
            layers.layer(count++, new SubsamplingLayer.Builder(PoolingType.MAX).kernelSize(2, 2).stride(2, 2).build());
        }
        layers.layer(count++, new DenseLayer.Builder().nOut(latentSize).activation(Activation.RELU).build());
        layers.layer(count++, new DenseLayer.Builder().nOut((long) codeHeight * codeWidth * deepest)
                .activation(Activation.RELU).build());
        // the dense layer's rows become feature maps again: a reshape DL4J does not infer by itself
        layers.inputPreProcessor(count, new FeedForwardToCnnPreProcessor(codeHeight, codeWidth, deepest));
        // up again by transposed convolutions of stride 2: the last one gives the image's channels
        for (int i = filters.length - 2; i >= 0; i--) {
            layers.layer(count++, deconv(filters[i], kernelSize, Activation.RELU));
        }
        layers.layer(count++, deconv(shape.channels(), kernelSize, Activation.IDENTITY));
        if (padded) {
            layers.layer(count++, new Cropping2D.Builder(0, padBottom, 0, padRight).build());
        }
        layers.layer(count, new CnnLossLayer.Builder(LossFunctions.LossFunction.MSE).activation(Activation.SIGMOID)
                .build());
        layers.setInputType(InputType.convolutionalFlat(shape.height(), shape.width(), shape.channels()));
        MultiLayerNetwork net = new MultiLayerNetwork(layers.build());
        net.init();
        return net;
    }

    private static ConvolutionLayer conv(int filters, int kernelSize, Activation activation) {
        return new ConvolutionLayer.Builder(kernelSize, kernelSize).stride(1, 1).nOut(filters)
                .activation(activation).build();
    }

    private static Deconvolution2D deconv(int filters, int kernelSize, Activation activation) {
        return new Deconvolution2D.Builder(kernelSize, kernelSize).stride(2, 2).nOut(filters)
                .activation(activation).build();
    }

    private static int roundUp(int value, int multiple) {
        return (value + multiple - 1) / multiple * multiple;
    }
}
