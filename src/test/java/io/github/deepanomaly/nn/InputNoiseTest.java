package io.github.deepanomaly.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class InputNoiseTest {
    private static final float[] VALUES = values(20_000);

    private static float[] values(int n) {
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            values[i] = (i % 7) - 3f;
        }
        return values;
    }

    @Test
    void addsNoiseOfTheGivenSpreadAroundTheValues() {
        float[] noisy = new InputNoise(1.5, 11).addedTo(VALUES, 0);
        double sum = 0;
        double squares = 0;
        for (int i = 0; i < VALUES.length; i++) {
            double noise = noisy[i] - VALUES[i];
            sum += noise;
            squares += noise * noise;
        }
        double mean = sum / VALUES.length;
        assertEquals(0, mean, 0.05, "mean of the noise");
        assertEquals(1.5, Math.sqrt(squares / VALUES.length - mean * mean), 0.05, "its standard deviation");
        assertEquals(-3f, VALUES[0], "the values themselves are left as they are");
    }

    @Test
    void theSameMinibatchAndIterationDrawTheSameNoiseAndOthersNot() {
        InputNoise noise = new InputNoise(1, 11);
        assertArrayEquals(noise.addedTo(VALUES, 4), noise.addedTo(VALUES.clone(), 4));
        assertFalse(Arrays.equals(noise.addedTo(VALUES, 4), noise.addedTo(VALUES, 5)), "another iteration");
        assertFalse(Arrays.equals(noise.addedTo(VALUES, 4), new InputNoise(1, 12).addedTo(VALUES, 4)), "another seed");
        float[] other = VALUES.clone();
        other[0] = 9;
        assertFalse(Arrays.equals(Arrays.copyOfRange(noise.addedTo(VALUES, 4), 1, 100),
                Arrays.copyOfRange(noise.addedTo(other, 4), 1, 100)), "another minibatch");
    }

    @Test
    void theDl4jInputGetsTheSameNoiseAsItsValues() {
        float[] values = Arrays.copyOf(VALUES, 12);
        INDArray input = Nd4j.create(values, new long[] {4, 3}, 'c');
        InputNoise noise = new InputNoise(0.7, 2);
        INDArray noisy = noise.addedTo(input, 3);
        assertArrayEquals(new long[] {4, 3}, noisy.shape());
        assertArrayEquals(noise.addedTo(values, 3), noisy.data().asFloat());
        assertArrayEquals(values, input.data().asFloat(), "the input is not changed in place");
    }

    @Test
    void noNoiseLeavesTheInputItself() {
        assertSame(VALUES, new InputNoise(0, 11).addedTo(VALUES, 0));
        INDArray input = Nd4j.create(new float[] {1, 2}, new long[] {1, 2}, 'c');
        assertSame(input, InputNoise.NONE.addedTo(input, 0));
    }
}
