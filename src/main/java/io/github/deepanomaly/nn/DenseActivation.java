package io.github.deepanomaly.nn;

import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationELU;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationLReLU;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.activations.impl.ActivationSELU;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
import org.nd4j.linalg.activations.impl.ActivationTanH;

/**
 * The activations of dense layers as plain Java, with their derivatives, computed as ND4J computes them:
 * what the plain-Java forward pass (scoring) and training step of small dense networks share.
 */
public enum DenseActivation {
    IDENTITY, RELU, LEAKY_RELU, ELU, SELU, TANH, SIGMOID;

    // The constants of ND4J's SELU (Klambauer et al. 2017).
    private static final double SELU_ALPHA = 1.6732632423543772848170429916717;
    private static final double SELU_LAMBDA = 1.0507009873554804934193349852946;

    /** The activation of a DL4J layer, and its alpha (leaky ReLU's slope, ELU's alpha; else 0). */
    public static DenseActivation of(IActivation activation, int layer) {
        if (activation instanceof ActivationIdentity) {
            return IDENTITY;
        } else if (activation instanceof ActivationReLU relu) {
            if (relu.getMax() != null || relu.getThreshold() != null || relu.getNegativeSlope() != null) {
                throw new IllegalArgumentException("Layer " + layer + ": a ReLU with max, threshold or negative"
                        + " slope is not supported");
            }
            return RELU;
        } else if (activation instanceof ActivationLReLU) {
            return LEAKY_RELU;
        } else if (activation instanceof ActivationELU) {
            return ELU;
        } else if (activation instanceof ActivationSELU) {
            return SELU;
        } else if (activation instanceof ActivationTanH) {
            return TANH;
        } else if (activation instanceof ActivationSigmoid) {
            return SIGMOID;
        }
        throw new IllegalArgumentException("Layer " + layer + ": activation " + activation + " is not supported");
    }

    public static double alphaOf(IActivation activation) {
        return activation instanceof ActivationLReLU a ? a.getAlpha()
                : activation instanceof ActivationELU e ? e.getAlpha() : 0;
    }

    /** Applies the activation in place to {@code values[from .. from + n)}. */
    public void apply(float[] values, int from, int n, double alpha) {
        switch (this) {
            case IDENTITY -> {
            }
            case RELU -> {
                for (int k = from; k < from + n; k++) {
                    values[k] = Math.max(values[k], 0f);
                }
            }
            case LEAKY_RELU -> {
                for (int k = from; k < from + n; k++) {
                    values[k] = values[k] >= 0 ? values[k] : (float) (alpha * values[k]);
                }
            }
            case ELU -> {
                for (int k = from; k < from + n; k++) {
                    values[k] = values[k] >= 0 ? values[k] : (float) (alpha * (Math.exp(values[k]) - 1));
                }
            }
            case SELU -> {
                for (int k = from; k < from + n; k++) {
                    double x = values[k];
                    values[k] = (float) (SELU_LAMBDA * (x > 0 ? x : SELU_ALPHA * (Math.exp(x) - 1)));
                }
            }
            case TANH -> {
                // through exp, which the JIT turns into an intrinsic: Math.tanh costs 5× as much here
                for (int k = from; k < from + n; k++) {
                    values[k] = (float) (1 - 2 / (Math.exp(2.0 * values[k]) + 1));
                }
            }
            case SIGMOID -> {
                for (int k = from; k < from + n; k++) {
                    values[k] = (float) (1 / (1 + Math.exp(-values[k])));
                }
            }
        }
    }

    /** The derivative at pre-activation {@code z}, whose activation is {@code out}. */
    public double derivative(float z, float out, double alpha) {
        return switch (this) {
            case IDENTITY -> 1;
            case RELU -> z > 0 ? 1 : 0;
            case LEAKY_RELU -> z >= 0 ? 1 : alpha;
            case ELU -> z >= 0 ? 1 : out + alpha;
            case SELU -> z > 0 ? SELU_LAMBDA : out + SELU_LAMBDA * SELU_ALPHA;
            case TANH -> 1 - (double) out * out;
            case SIGMOID -> (double) out * (1 - out);
        };
    }
}
