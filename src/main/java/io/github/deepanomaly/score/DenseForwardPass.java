package io.github.deepanomaly.score;

import io.github.deepanomaly.nn.DenseActivation;
import java.io.Serializable;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.IActivation;
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
    /** Per layer: weights as [out][in] row-major (one dot product per output), biases, activation. */
    private final float[][] weights;
    private final float[][] biases;
    private final int[] outputs;
    private final DenseActivation[] functions;
    private final double[] alphas;
    private final int inputSize;
    private final int widest;
    /** Times the stack is applied, its output fed back as its input ({@link ReconstructionPasses}). */
    private final int passes;

    private DenseForwardPass(float[][] weights, float[][] biases, int[] outputs, DenseActivation[] functions,
            double[] alphas, int inputSize, int passes) {
        this.weights = weights;
        this.biases = biases;
        this.outputs = outputs;
        this.functions = functions;
        this.alphas = alphas;
        this.inputSize = inputSize;
        this.passes = passes;
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
        DenseActivation[] functions = new DenseActivation[layers.length];
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
            functions[l] = DenseActivation.of(activation, l);
            alphas[l] = DenseActivation.alphaOf(activation);
        }
        return new DenseForwardPass(weights, biases, outputs, functions, alphas, inputSize, 1);
    }

    /**
     * This pass applied {@code passes} times, each output the next input (an autoencoder's reconstruction
     * reconstructed again, {@link ReconstructionPasses}).
     *
     * @throws IllegalArgumentException when passes < 1, or above 1 for a network whose output is not the size of its input
     */
    public DenseForwardPass repeated(int passes) {
        if (passes < 1) {
            throw new IllegalArgumentException("a network is applied at least once, got " + passes + " passes");
        }
        if (passes > 1 && outputs[outputs.length - 1] != inputSize) {
            throw new IllegalArgumentException("a network of " + inputSize + " inputs and "
                    + outputs[outputs.length - 1] + " outputs cannot take its output as its input");
        }
        return new DenseForwardPass(weights, biases, outputs, functions, alphas, inputSize, passes);
    }

    public int inputSize() {
        return inputSize;
    }

    /** Multiply-adds per row: what one row's output costs (every pass), whatever the layer sizes. */
    public long multiplyAddsPerRow() {
        long total = 0;
        for (float[] w : weights) {
            total += w.length;
        }
        return total * passes;
    }

    /** The network's output for one input row of {@link #inputSize()} values (after every pass). */
    public float[] output(float[] input) {
        float[] output = once(input);
        for (int p = 1; p < passes; p++) {
            output = once(output);
        }
        return output;
    }

    private float[] once(float[] input) {
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
            functions[l].apply(next, 0, out, alphas[l]);
            float[] swap = current;
            current = next;
            next = swap;
            in = out;
        }
        return in == widest ? current : java.util.Arrays.copyOf(current, in);
    }
}
