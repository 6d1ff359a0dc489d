package io.github.deepanomaly.nn;

import java.util.Arrays;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;

/**
 * A small dense DL4J network's forward pass, backward pass and Adam update in plain Java, on the network's own
 * flattened parameters and Adam state (read once, written back once per round), where the gradient at the output
 * comes from outside: what chaining networks needs (a GAN's discriminator gradient flowing into its generator
 * and encoder), and what {@link DenseAdamStep} trains an autoencoder with (the MSE against the input). A DL4J
 * call per minibatch would cost ~1 ms per network, far more than these networks' arithmetic.
 *
 * <p>One row at a time: {@link #forward} keeps that row's activations for the {@link #backward} that follows.
 */
public final class PlainDenseNetwork {
    private final int layers;
    private final int[] sizes; // sizes[0] = input, sizes[l + 1] = output of layer l
    private final int[] weightOffset;
    private final int[] biasOffset;
    private final DenseActivation[] functions;
    private final double[] alphas;
    private final double learningRate;
    private final double beta1;
    private final double beta2;
    private final double epsilon;
    private final float[] params;
    private final float[] m;
    private final float[] v;
    private final double[] gradient;
    private final float[][] z;
    private final float[][] a;
    private final double[][] delta;

    private PlainDenseNetwork(MultiLayerNetwork network) {
        Layer[] ls = network.getLayers();
        layers = ls.length;
        sizes = new int[layers + 1];
        weightOffset = new int[layers];
        biasOffset = new int[layers];
        functions = new DenseActivation[layers];
        alphas = new double[layers];
        int offset = 0;
        Adam adam = null;
        for (int l = 0; l < layers; l++) {
            FeedForwardLayer conf = (FeedForwardLayer) ls[l].conf().getLayer();
            sizes[l] = (int) conf.getNIn();
            sizes[l + 1] = (int) conf.getNOut();
            // DL4J's flattened parameters: per layer W ([nIn, nOut], column-major), then b
            weightOffset[l] = offset;
            offset += sizes[l] * sizes[l + 1];
            biasOffset[l] = offset;
            offset += sizes[l + 1];
            functions[l] = DenseActivation.of(conf.getActivationFn(), l);
            alphas[l] = DenseActivation.alphaOf(conf.getActivationFn());
            adam = (Adam) conf.getIUpdater();
        }
        learningRate = adam.getLearningRate();
        beta1 = adam.getBeta1();
        beta2 = adam.getBeta2();
        epsilon = adam.getEpsilon();
        params = network.params().toFloatVector();
        float[] state = network.getUpdater(true).getStateViewArray().toFloatVector();
        m = Arrays.copyOfRange(state, 0, params.length);
        v = Arrays.copyOfRange(state, params.length, state.length);
        gradient = new double[params.length];
        z = new float[layers + 1][];
        a = new float[layers + 1][];
        delta = new double[layers + 1][];
        for (int l = 0; l <= layers; l++) {
            z[l] = new float[sizes[l]];
            a[l] = new float[sizes[l]];
            delta[l] = new double[sizes[l]];
        }
    }

    /** The network's parameters and Adam state, ready to train (dense layers, one Adam for all: see {@link DenseAdamStep#suits}). */
    public static PlainDenseNetwork of(MultiLayerNetwork network) {
        return new PlainDenseNetwork(network);
    }

    public int inputSize() {
        return sizes[0];
    }

    public int outputSize() {
        return sizes[layers];
    }

    /**
     * The row {@code values[from .. from + inputSize)} forward; returns the output activations (an array this
     * network reuses: read it before the next forward).
     */
    public float[] forward(float[] values, int from) {
        System.arraycopy(values, from, a[0], 0, sizes[0]);
        for (int l = 0; l < layers; l++) {
            int in = sizes[l];
            int out = sizes[l + 1];
            int w = weightOffset[l];
            int b = biasOffset[l];
            float[] input = a[l];
            float[] pre = z[l + 1];
            for (int k = 0; k < out; k++) {
                float sum = params[b + k];
                int row = w + k * in;
                for (int i = 0; i < in; i++) {
                    sum += input[i] * params[row + i];
                }
                pre[k] = sum;
            }
            System.arraycopy(pre, 0, a[l + 1], 0, out);
            functions[l].apply(a[l + 1], 0, out, alphas[l]);
        }
        return a[layers];
    }

    /** The activations of hidden layer {@code l} (1-based: 1 = the first layer's output) of the last forward row. */
    public float[] activations(int l) {
        return a[l];
    }

    /**
     * Back from the last forwarded row's output: {@code outputGradient} is dLoss/dOutput (after the activation).
     * With {@code accumulate} the parameters' gradients add up for the next {@link #adamStep}; else only the
     * input's gradient is wanted (this network is held fixed).
     *
     * @param inputGradient receives dLoss/dInput, or null when not needed
     */
    public void backward(double[] outputGradient, boolean accumulate, double[] inputGradient) {
        double[] top = delta[layers];
        DenseActivation output = functions[layers - 1];
        for (int k = 0; k < sizes[layers]; k++) {
            top[k] = outputGradient[k] * output.derivative(z[layers][k], a[layers][k], alphas[layers - 1]);
        }
        for (int l = layers - 1; l >= 0; l--) {
            int in = sizes[l];
            int out = sizes[l + 1];
            int w = weightOffset[l];
            double[] d = delta[l + 1];
            if (accumulate) {
                int b = biasOffset[l];
                float[] input = a[l];
                for (int k = 0; k < out; k++) {
                    double dk = d[k];
                    gradient[b + k] += dk;
                    int row = w + k * in;
                    for (int i = 0; i < in; i++) {
                        gradient[row + i] += dk * input[i];
                    }
                }
            }
            if (l == 0 && inputGradient == null) {
                break;
            }
            double[] below = l > 0 ? delta[l] : inputGradient;
            for (int i = 0; i < in; i++) {
                double sum = 0;
                for (int k = 0; k < out; k++) {
                    sum += params[w + k * in + i] * d[k];
                }
                below[i] = l > 0 ? sum * functions[l - 1].derivative(z[l][i], a[l][i], alphas[l - 1]) : sum;
            }
        }
    }

    /**
     * One Adam step on the accumulated gradient (DL4J's AdamUpdater, element by element), which it then clears.
     *
     * @param iteration the 0-based count of steps this network took before, for Adam's bias correction
     */
    public void adamStep(long iteration) {
        double beta1t = 1 - Math.pow(beta1, iteration + 1);
        double beta2t = 1 - Math.pow(beta2, iteration + 1);
        double alphat = learningRate * Math.sqrt(beta2t) / beta1t;
        if (Double.isNaN(alphat) || alphat == 0) {
            alphat = epsilon;
        }
        for (int j = 0; j < params.length; j++) {
            double g = gradient[j];
            float mj = (float) (beta1 * m[j] + (1 - beta1) * g);
            float vj = (float) (beta2 * v[j] + (1 - beta2) * g * g);
            m[j] = mj;
            v[j] = vj;
            params[j] -= (float) (alphat * mj / (Math.sqrt(vj) + epsilon));
        }
        Arrays.fill(gradient, 0);
    }

    /** Writes parameters and Adam state back into the network (the caller sets its iteration count). */
    public void writeTo(MultiLayerNetwork network) {
        network.params().assign(Nd4j.createFromArray(params).reshape(network.params().shape()));
        float[] state = new float[m.length + v.length];
        System.arraycopy(m, 0, state, 0, m.length);
        System.arraycopy(v, 0, state, m.length, v.length);
        INDArray view = network.getUpdater(true).getStateViewArray();
        view.assign(Nd4j.createFromArray(state).reshape(view.shape()));
    }
}
