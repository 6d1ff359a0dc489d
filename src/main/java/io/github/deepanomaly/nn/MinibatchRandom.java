package io.github.deepanomaly.nn;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The random stream a local step draws from for one minibatch: seeded by the detector's seed, the networks'
 * iteration and the minibatch's contents, so that training is the same wherever and in whatever order the
 * engine runs a minibatch, and no two minibatches or epochs share a stream.
 */
public final class MinibatchRandom {
    private MinibatchRandom() {
    }

    public static SplittableRandom of(long seed, long iteration, float[] values) {
        return new SplittableRandom(seed * 1_000_003L + iteration * 7919L + Arrays.hashCode(values));
    }
}
