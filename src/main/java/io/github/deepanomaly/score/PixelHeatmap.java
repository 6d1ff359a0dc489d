package io.github.deepanomaly.score;

import org.apache.spark.ml.linalg.DenseVector;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.sql.types.DataType;

/**
 * An image's explanation: its heatmap, the squared reconstruction error of every pixel and channel (the
 * score is their mean), as a Vector in the network's channel-first order, to draw or threshold.
 */
public record PixelHeatmap() implements Explanation {
    @Override
    public DataType type() {
        return SQLDataTypes.VectorType();
    }

    @Override
    public DenseVector of(float[] contributions) {
        double[] values = new double[contributions.length];
        for (int i = 0; i < values.length; i++) {
            values[i] = contributions[i];
        }
        return new DenseVector(values);
    }
}
