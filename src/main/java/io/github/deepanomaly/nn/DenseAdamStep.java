package io.github.deepanomaly.nn;

import io.github.deepanomaly.train.Minibatch;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.GradientNormalization;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.impl.LossMSE;

/**
 * DL4J's training step of a small dense network with an MSE output and Adam, in plain Java: the same
 * arithmetic as {@code MultiLayerNetwork.fit(DataSet)} (gradient of the mean over the minibatch of the
 * per-row mean squared error, Adam with DL4J's bias correction), on the network's own flattened
 * parameters and Adam state, read once and written back once per round. A DL4J call costs about a
 * millisecond whatever the network's size (measured in Spark tasks here), while a minibatch of 128 rows
 * through a network of a few hundred weights is some tens of microseconds of arithmetic: on tables with
 * few features that call was nearly all of the training time. Agrees with DL4J's step to float rounding
 * (tested for every activation).
 */
public final class DenseAdamStep {
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
    private final double trimFraction;
    private final float[] params;
    private final float[] m;
    private final float[] v;
    private final double[] gradient;
    private int iteration;
    // per-row work arrays: pre-activations and activations of every layer, and the error signal
    private final float[][] z;
    private final float[][] a;
    private final double[][] delta;

    private DenseAdamStep(MultiLayerNetwork network, double trimFraction) {
        this.trimFraction = trimFraction;
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
        // one updater block for all layers (same Adam everywhere): M of every parameter, then V
        float[] state = network.getUpdater(true).getStateViewArray().toFloatVector();
        m = java.util.Arrays.copyOfRange(state, 0, params.length);
        v = java.util.Arrays.copyOfRange(state, params.length, state.length);
        gradient = new double[params.length];
        iteration = network.getIterationCount();
        z = new float[layers + 1][];
        a = new float[layers + 1][];
        delta = new double[layers + 1][];
        for (int l = 0; l <= layers; l++) {
            z[l] = new float[sizes[l]];
            a[l] = new float[sizes[l]];
            delta[l] = new double[sizes[l]];
        }
    }

    /**
     * Whether this step can train the network: dense layers with biases, activations it knows, one Adam for
     * all, an MSE output without its own activation; and small enough that plain Java beats a DL4J call.
     */
    public static boolean suits(MultiLayerNetwork network, long maxMultiplyAdds) {
        Layer[] ls = network.getLayers();
        long multiplyAdds = 0;
        Adam first = null;
        for (int l = 0; l < ls.length; l++) {
            if (!(ls[l].conf().getLayer() instanceof FeedForwardLayer conf) || !plainDense(ls[l], conf)
                    || !(conf.getIUpdater() instanceof Adam adam) || (first != null && !first.equals(adam))) {
                return false;
            }
            first = adam;
            multiplyAdds += conf.getNIn() * conf.getNOut();
        }
        return ls.length > 0 && ls[ls.length - 1].conf().getLayer() instanceof OutputLayer out
                && out.getLossFn() instanceof LossMSE && multiplyAdds <= maxMultiplyAdds
                && network.getUpdater(true).getStateViewArray().length() == 2 * network.numParams();
    }

    /** Weights and biases only, an activation this step knows, and nothing else that changes the gradient. */
    private static boolean plainDense(Layer layer, FeedForwardLayer conf) {
        if (layer.getParam("W") == null || layer.getParam("b") == null
                || layer.numParams() != conf.getNIn() * conf.getNOut() + conf.getNOut()
                || conf.getIDropout() != null || !(conf.getRegularization() == null || conf.getRegularization().isEmpty())
                || !(conf.getGradientNormalization() == null || conf.getGradientNormalization() == GradientNormalization.None)) {
            return false;
        }
        try {
            DenseActivation.of(conf.getActivationFn(), 0);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** The network's parameters, Adam state and iteration, ready to train. */
    public static DenseAdamStep of(MultiLayerNetwork network) {
        return new DenseAdamStep(network, 0);
    }

    /**
     * Like {@link #of(MultiLayerNetwork)}, leaving out of each minibatch's loss and gradient its
     * {@code trimFraction} of rows with the largest error ({@link TrimmedLoss}).
     */
    public static DenseAdamStep of(MultiLayerNetwork network, double trimFraction) {
        return new DenseAdamStep(network, trimFraction);
    }

    /** One Adam step on a minibatch whose targets are its inputs; returns the loss summed over its rows. */
    public double fit(Minibatch batch) {
        java.util.Arrays.fill(gradient, 0);
        double loss = pass(batch, true);
        adam();
        iteration++;
        return loss;
    }

    /** The loss of a held-out minibatch (targets = inputs), summed over its rows. */
    public double loss(Minibatch batch) {
        return pass(batch, false);
    }

    /**
     * Every row forward, its MSE (sum (a - x)^2 / n, which DL4J averages over the minibatch) summed over
     * the rows the trim keeps, and with {@code train} their gradient accumulated. Divided by all the
     * minibatch's rows, as DL4J divides a masked loss.
     */
    private double pass(Minibatch batch, boolean train) {
        int rows = batch.rows();
        int width = sizes[0];
        int outSize = sizes[layers];
        float[] values = batch.values();
        DenseActivation output = functions[layers - 1];
        boolean[] kept = trimFraction > 0 ? TrimmedLoss.kept(rowErrors(values, rows), trimFraction) : null;
        double lossSum = 0;
        for (int r = 0; r < rows; r++) {
            if (kept != null && !kept[r]) {
                continue;
            }
            forward(values, r * width);
            double[] d = delta[layers];
            for (int k = 0; k < outSize; k++) {
                double error = a[layers][k] - values[r * width + k];
                lossSum += error * error / outSize;
                d[k] = 2 * error / outSize / rows * output.derivative(z[layers][k], a[layers][k], alphas[layers - 1]);
            }
            if (train) {
                backward();
            }
        }
        return lossSum;
    }

    /** Each row's squared reconstruction error, summed over the outputs. */
    private double[] rowErrors(float[] values, int rows) {
        int width = sizes[0];
        double[] errors = new double[rows];
        for (int r = 0; r < rows; r++) {
            forward(values, r * width);
            double sum = 0;
            for (int k = 0; k < sizes[layers]; k++) {
                double error = a[layers][k] - values[r * width + k];
                sum += error * error;
            }
            errors[r] = sum;
        }
        return errors;
    }

    /** Writes parameters, Adam state and iteration count back into the network. */
    public void writeTo(MultiLayerNetwork network) {
        network.params().assign(Nd4j.createFromArray(params).reshape(network.params().shape()));
        float[] state = new float[m.length + v.length];
        System.arraycopy(m, 0, state, 0, m.length);
        System.arraycopy(v, 0, state, m.length, v.length);
        INDArray view = network.getUpdater(true).getStateViewArray();
        view.assign(Nd4j.createFromArray(state).reshape(view.shape()));
        network.setIterationCount(iteration);
    }

    private void forward(float[] values, int from) {
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
    }

    /** Accumulates the row's gradient from delta[layers] (dLoss/dz of the output layer) down to the input. */
    private void backward() {
        for (int l = layers - 1; l >= 0; l--) {
            int in = sizes[l];
            int out = sizes[l + 1];
            int w = weightOffset[l];
            int b = biasOffset[l];
            double[] d = delta[l + 1];
            float[] input = a[l];
            for (int k = 0; k < out; k++) {
                double dk = d[k];
                gradient[b + k] += dk;
                int row = w + k * in;
                for (int i = 0; i < in; i++) {
                    gradient[row + i] += dk * input[i];
                }
            }
            if (l > 0) {
                double[] below = delta[l];
                for (int i = 0; i < in; i++) {
                    double sum = 0;
                    for (int k = 0; k < out; k++) {
                        sum += params[w + k * in + i] * d[k];
                    }
                    below[i] = sum * functions[l - 1].derivative(z[l][i], a[l][i], alphas[l - 1]);
                }
            }
        }
    }

    /** DL4J's AdamUpdater, element by element. */
    private void adam() {
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
    }
}
