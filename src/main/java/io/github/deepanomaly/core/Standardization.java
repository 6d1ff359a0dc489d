package io.github.deepanomaly.core;

import java.io.Serializable;
import java.util.Arrays;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.stat.Summarizer;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;

/**
 * Per-feature centring and scaling, x' = (x - mean) / scale, kept in the model so that scoring sees
 * exactly the transformation training saw.
 */
public record Standardization(double[] mean, double[] scale) implements Serializable {

    public Standardization {
        if (mean.length != scale.length) {
            throw new IllegalArgumentException("mean and scale differ in length: " + mean.length + " vs " + scale.length);
        }
    }

    public static Standardization identity(int size) {
        double[] ones = new double[size];
        Arrays.fill(ones, 1.0);
        return new Standardization(new double[size], ones);
    }

    /**
     * Means and standard deviations of a vector column, computed on the executors by Spark's Summarizer.
     * A constant feature (standard deviation 0) keeps scale 1, so it is centred but never divided by 0.
     */
    public static Standardization fit(Dataset<Row> validRows, String vectorCol) {
        Row summary = validRows
                .select(Summarizer.metrics("mean", "std").summary(functions.col(vectorCol)).as("s"))
                .select("s.mean", "s.std")
                .first();
        double[] mean = ((Vector) summary.get(0)).toArray();
        double[] std = ((Vector) summary.get(1)).toArray();
        double[] scale = new double[std.length];
        for (int i = 0; i < std.length; i++) {
            scale[i] = std[i] > 0 && Double.isFinite(std[i]) ? std[i] : 1.0;
        }
        return new Standardization(mean, scale);
    }

    public int size() {
        return mean.length;
    }

    /** Writes the standardized values of {@code v} into {@code out} starting at {@code offset}. */
    public void apply(Vector v, float[] out, int offset) {
        if (v instanceof org.apache.spark.ml.linalg.DenseVector dense) {
            double[] values = dense.values();
            for (int j = 0; j < values.length; j++) {
                out[offset + j] = (float) ((values[j] - mean[j]) / scale[j]);
            }
        } else {
            for (int j = 0; j < mean.length; j++) {
                out[offset + j] = (float) ((v.apply(j) - mean[j]) / scale[j]);
            }
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Standardization s && Arrays.equals(mean, s.mean) && Arrays.equals(scale, s.scale);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(mean) + Arrays.hashCode(scale);
    }

    @Override
    public String toString() {
        return "Standardization[mean=" + Arrays.toString(mean) + ", scale=" + Arrays.toString(scale) + "]";
    }
}
