package io.github.deepanomaly.train;

import java.io.Serializable;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * One minibatch of network input as the engine caches it on the executors: plain Java floats, so that
 * the cache lives on the JVM heap where Spark's storage accounting sees it (an ND4J array's data is off
 * heap, invisible to it), and turned into an ND4J array only for the step that uses it.
 *
 * @param values  the input, row-major ('c' order), {@code shape[0]} rows
 * @param shape   [rows, features] for tables; a detector with 3-D or 4-D input gives its own shape
 * @param heldOut whether these rows are held out for the validation loss (never trained on)
 */
public record Minibatch(float[] values, long[] shape, boolean heldOut) implements Serializable {

    public int rows() {
        return (int) shape[0];
    }

    /** A fresh ND4J array of the values (the step may change it in place). */
    public INDArray input() {
        return Nd4j.create(values, shape, 'c');
    }
}
