package io.github.deepanomaly.bench;

import java.util.Random;
import java.util.SplittableRandom;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;

/**
 * Unlabelled rows near a low-dimensional subspace, what an autoencoder can learn and what the speed
 * suites train on: x = z·L + 0.1·noise, with rank(L) = max(1, d/4) (the default bottleneck's size) and
 * z, noise standard normal. Generated on the executors, row i from its own seed, so the rows depend on
 * the seed only, not on the partitioning, and 10^6 rows never pass through the driver.
 */
final class SyntheticTable {
    static final double NOISE = 0.1;
    private static final StructType SCHEMA = new StructType().add(Contender.FEATURES, SQLDataTypes.VectorType(), false);

    private SyntheticTable() {
    }

    static int rank(int dims) {
        return Math.max(1, dims / 4);
    }

    /** {@code rows} rows of {@code dims} features in Spark's default parallelism of partitions, not cached. */
    static Dataset<Row> lowRank(SparkSession spark, long rows, int dims, long seed) {
        int rank = rank(dims);
        Random random = new Random(seed);
        double[][] loadings = new double[rank][dims];
        for (double[] row : loadings) {
            for (int j = 0; j < dims; j++) {
                row[j] = random.nextGaussian();
            }
        }
        int partitions = spark.sparkContext().defaultParallelism();
        MapFunction<Long, Row> toRow = i -> {
            SplittableRandom r = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + i);
            double[] z = new double[rank];
            for (int k = 0; k < rank; k++) {
                z[k] = r.nextGaussian();
            }
            double[] x = new double[dims];
            for (int j = 0; j < dims; j++) {
                double value = NOISE * r.nextGaussian();
                for (int k = 0; k < rank; k++) {
                    value += z[k] * loadings[k][j];
                }
                x[j] = value;
            }
            return RowFactory.create(Vectors.dense(x));
        };
        return spark.range(0, rows, 1, partitions).map(toRow, Encoders.row(SCHEMA));
    }
}
