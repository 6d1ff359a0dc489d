package io.github.deepanomaly.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.deepanomaly.image.ImageShape;
import java.util.List;
import java.util.Random;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class ConvAutoencoderNetworkTest {

    private static INDArray blobs(int rows, ImageShape shape, long seed) {
        Random random = new Random(seed);
        float[] values = new float[rows * shape.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = random.nextFloat() < 0.2f ? 1f : 0f;
        }
        return Nd4j.create(values, new long[] {rows, shape.size()}, 'c');
    }

    @Test
    void sidesThatAreNoMultipleOfFourArePaddedAndCroppedBackToTheInputSize() {
        ImageShape shape = new ImageShape(10, 13, 3);
        MultiLayerNetwork net = ConvAutoencoderNetwork.build(shape, new int[] {4, 4}, 3, 8, 1e-3, 1);
        INDArray out = net.output(blobs(5, shape, 1), false);
        assertArrayEquals(new long[] {5, 3, 10, 13}, out.shape());
        assertTrue(out.minNumber().doubleValue() >= 0 && out.maxNumber().doubleValue() <= 1, "a sigmoid output");
    }

    @Test
    void theLossItReportsFallsAsItFits() {
        ImageShape shape = new ImageShape(8, 8, 1);
        ConvAutoencoderStep step = new ConvAutoencoderStep(shape, new int[] {4}, 3, 4, 1e-2, 1);
        List<MultiLayerNetwork> nets = step.buildNetworks();
        INDArray batch = blobs(32, shape, 2);
        double first = step.fit(nets, batch.dup());
        double last = first;
        for (int i = 0; i < 100; i++) {
            last = step.fit(nets, batch.dup());
        }
        double held = step.loss(nets, batch.dup());
        assertTrue(last < 0.8 * first, "fit loss " + first + " -> " + last + ", loss without fitting " + held);
        assertTrue(Math.abs(last - held) < 0.2 * held, "fit loss " + last + " vs loss " + held);
    }
}
