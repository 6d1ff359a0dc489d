package io.github.deepanomaly.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.deepanomaly.train.Minibatch;
import java.util.Random;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

/**
 * The plain-Java network driven from outside (an MSE gradient given at its output) against DL4J's own fit and
 * gradients, on the same network and minibatches: what the GAN's chained steps rest on.
 */
class PlainDenseNetworkTest {

    /** One Adam step of the per-row mean squared error, the gradient handed to the output from outside. */
    private static double mseStep(PlainDenseNetwork network, Minibatch batch, long iteration) {
        int width = network.inputSize();
        int rows = batch.rows();
        double[] gradient = new double[width];
        double loss = 0;
        for (int r = 0; r < rows; r++) {
            float[] out = network.forward(batch.values(), r * width);
            for (int k = 0; k < width; k++) {
                double error = out[k] - batch.values()[r * width + k];
                loss += error * error / width;
                gradient[k] = 2 * error / width / rows;
            }
            network.backward(gradient, true, null);
        }
        network.adamStep(iteration);
        return loss / rows;
    }

    @ParameterizedTest
    @ValueSource(strings = {"tanh", "relu", "leakyrelu", "elu", "selu", "sigmoid"})
    void trainsAsDl4jDoes(String activation) {
        MultiLayerNetwork ours = DenseAutoencoderNetwork.build(7, new int[] {5, 3}, Activations.byName(activation),
                1e-2, 3);
        MultiLayerNetwork dl4j = ours.clone();
        Random random = new Random(5);
        PlainDenseNetwork network = PlainDenseNetwork.of(ours);
        double ourLoss = 0;
        for (int i = 0; i < 12; i++) {
            Minibatch batch = DenseAdamStepTest.batch(random, i == 11 ? 17 : 64, 7);
            ourLoss = mseStep(network, batch, i);
            dl4j.fit(new DataSet(batch.input(), batch.input()));
        }
        network.writeTo(ours);
        assertEquals(dl4j.score(), ourLoss, 1e-5 * Math.max(1, dl4j.score()), "the last minibatch's loss");
        DenseAdamStepTest.assertTrainedAlike(dl4j, ours);
    }

    /** The gradient at the input, which carries a discriminator's verdict back into a generator, is DL4J's. */
    @Test
    void inputGradientIsDl4js() {
        MultiLayerNetwork dl4j = GanNetworks.discriminator(6, new int[] {4, 3}, 1e-3, 9);
        Minibatch batch = DenseAdamStepTest.batch(new Random(2), 5, 6);
        INDArray input = batch.input();
        INDArray labels = org.nd4j.linalg.factory.Nd4j.zeros(5, 1);
        Pair<Gradient, INDArray> expected = dl4j.calculateGradients(input, labels, null, null);
        // DL4J's MSE on one output, (y - 0)^2 per row; its input gradient is per row, not yet divided by the
        // minibatch's size (the updater divides the parameters' gradients), so dLoss/dy = 2y
        PlainDenseNetwork network = PlainDenseNetwork.of(dl4j);
        double[] inputGradient = new double[6];
        float[][] expectedRows = expected.getSecond().toFloatMatrix();
        for (int r = 0; r < 5; r++) {
            float[] y = network.forward(batch.values(), r * 6);
            network.backward(new double[] {2.0 * y[0]}, true, inputGradient);
            for (int j = 0; j < 6; j++) {
                assertEquals(expectedRows[r][j], inputGradient[j], 1e-5, "row " + r + ", input " + j);
            }
        }
    }
}
