package io.github.deepanomaly.score;

import java.io.Serializable;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationELU;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationLReLU;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.activations.impl.ActivationSELU;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
import org.nd4j.linalg.activations.impl.ActivationTanH;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The forward pass of a stack of dense layers in plain Java, one row at a time, on the network's own
 * float32 weights. For the small networks of tabular data it is what makes scoring a column expression
 * possible: a call into ND4J costs microseconds whatever the size, so DL4J needs batches of thousands of
 * rows to be fast, and a Spark SQL expression sees one row at a time. Its reconstructions equal DL4J's
 * up to float rounding (tested for every activation the detectors offer).
 *
 * <p>Immutable and thread-safe: every call works in arrays of its own.
 */
public final class DenseForwardPass implements Serializable {
    private static final long serialVersionUID = 1L;
    // The constants of ND4J's SELU (Klambauer et al. 2017).
    private static final double SELU_ALPHA = 1.6732632423543772848170429916717;
    private static final double SELU_LAMBDA = 1.0507009873554804934193349852946;

    private enum Function { IDENTITY, RELU, LEAKY_RELU, ELU, SELU, TANH, SIGMOID }

    /** Per layer: weights as [out][in] row-major (one dot product per output), biases, activation. */
    private final float[][] weights;
    private final float[][] biases;
    private final int[] outputs;
    private final Function[] functions;
    private final double[] alphas;
    private final int inputSize;
    private final int widest;

    private DenseForwardPass(float[][] weights, float[][] biases, int[] outputs, Function[] functions,
            double[] alphas, int inputSize) {
        this.weights = weights;
        this.biases = biases;
        this.outputs = outputs;
        this.functions = functions;
        this.alphas = alphas;
        this.inputSize = inputSize;
        int max = inputSize;
        for (int n : outputs) {
            max = Math.max(max, n);
        }
        this.widest = max;
    }

    /**
     * Copies the weights of a network made only of dense (feed-forward) layers with biases.
     *
     * @throws IllegalArgumentException for any other layer or an activation this pass does not know
     */
    public static DenseForwardPass of(MultiLayerNetwork network) {
        Layer[] layers = network.getLayers();
        float[][] weights = new float[layers.length][];
        float[][] biases = new float[layers.length][];
        int[] outputs = new int[layers.length];
        Function[] functions = new Function[layers.length];
        double[] alphas = new double[layers.length];
        int inputSize = -1;
        for (int l = 0; l < layers.length; l++) {
            if (!(layers[l].conf().getLayer() instanceof FeedForwardLayer conf)
                    || layers[l].getParam("W") == null || layers[l].getParam("b") == null) {
                throw new IllegalArgumentException("Layer " + l + " (" + layers[l].getClass().getSimpleName()
                        + ") is not a dense layer with weights and biases");
            }
            INDArray w = layers[l].getParam("W");
            if (l == 0) {
                inputSize = (int) w.size(0);
            }
            outputs[l] = (int) w.size(1);
            // [in, out] in column-major order is [out][in] row-major: each output's weights side by side.
            weights[l] = w.dup('f').data().asFloat();
            biases[l] = layers[l].getParam("b").dup().data().asFloat();
            IActivation activation = conf.getActivationFn();
            functions[l] = functionOf(activation, l);
            alphas[l] = activation instanceof ActivationLReLU a ? a.getAlpha()
                    : activation instanceof ActivationELU e ? e.getAlpha() : 0;
        }
        return new DenseForwardPass(weights, biases, outputs, functions, alphas, inputSize);
    }

    private static Function functionOf(IActivation activation, int layer) {
        if (activation instanceof ActivationIdentity) {
            return Function.IDENTITY;
        } else if (activation instanceof ActivationReLU relu) {
            if (relu.getMax() != null || relu.getThreshold() != null || relu.getNegativeSlope() != null) {
                throw new IllegalArgumentException("Layer " + layer + ": a ReLU with max, threshold or negative"
                        + " slope is not supported");
            }
            return Function.RELU;
        } else if (activation instanceof ActivationLReLU) {
            return Function.LEAKY_RELU;
        } else if (activation instanceof ActivationELU) {
            return Function.ELU;
        } else if (activation instanceof ActivationSELU) {
            return Function.SELU;
        } else if (activation instanceof ActivationTanH) {
            return Function.TANH;
        } else if (activation instanceof ActivationSigmoid) {
            return Function.SIGMOID;
        }
        throw new IllegalArgumentException("Layer " + layer + ": activation " + activation + " is not supported");
    }

    public int inputSize() {
        return inputSize;
    }

    /** Multiply-adds per row: what one row's pass costs, whatever the layer sizes. */
    public long multiplyAddsPerRow() {
        long total = 0;
        for (float[] w : weights) {
            total += w.length;
        }
        return total;
    }

    /** The network's output for one input row of {@link #inputSize()} values. */
    public float[] output(float[] input) {
        float[] current = new float[widest];
        float[] next = new float[widest];
        System.arraycopy(input, 0, current, 0, inputSize);
        int in = inputSize;
        for (int l = 0; l < weights.length; l++) {
            float[] w = weights[l];
            float[] b = biases[l];
            int out = outputs[l];
            for (int k = 0; k < out; k++) {
                float sum = b[k];
                int row = k * in;
                for (int i = 0; i < in; i++) {
                    sum += current[i] * w[row + i];
                }
                next[k] = sum;
            }
            activate(next, out, functions[l], alphas[l]);
            float[] swap = current;
            current = next;
            next = swap;
            in = out;
        }
        return in == widest ? current : java.util.Arrays.copyOf(current, in);
    }

    private static void activate(float[] values, int n, Function function, double alpha) {
        switch (function) {
            case IDENTITY -> {
            }
            case RELU -> {
                for (int k = 0; k < n; k++) {
                    values[k] = Math.max(values[k], 0f);
                }
            }
            case LEAKY_RELU -> {
                for (int k = 0; k < n; k++) {
                    values[k] = values[k] >= 0 ? values[k] : (float) (alpha * values[k]);
                }
            }
            case ELU -> {
                for (int k = 0; k < n; k++) {
                    values[k] = values[k] >= 0 ? values[k] : (float) (alpha * (Math.exp(values[k]) - 1));
                }
            }
            case SELU -> {
                for (int k = 0; k < n; k++) {
                    double x = values[k];
                    values[k] = (float) (SELU_LAMBDA * (x > 0 ? x : SELU_ALPHA * (Math.exp(x) - 1)));
                }
            }
            case TANH -> {
                // through exp, which the JIT turns into an intrinsic: Math.tanh costs 5× as much here
                for (int k = 0; k < n; k++) {
                    values[k] = (float) (1 - 2 / (Math.exp(2.0 * values[k]) + 1));
                }
            }
            case SIGMOID -> {
                for (int k = 0; k < n; k++) {
                    values[k] = (float) (1 / (1 + Math.exp(-values[k])));
                }
            }
        }
    }
}
