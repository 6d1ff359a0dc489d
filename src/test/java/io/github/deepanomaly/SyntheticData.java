package io.github.deepanomaly;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Normal rows lie near a low-dimensional plane (d features driven by 2 latent factors plus a little
 * noise), which an autoencoder can learn. {@link #planted} anomalies break that structure while staying
 * in the same value range, so no single feature gives them away; {@link #shiftedFeature} anomalies are
 * normal rows with one known feature moved far away, so that feature is the answer to "why".
 */
final class SyntheticData {
    static final StructType SCHEMA = new StructType()
            .add("features", SQLDataTypes.VectorType(), true)
            .add("label", DataTypes.DoubleType, false);

    private SyntheticData() {
    }

    static Dataset<Row> planted(SparkSession spark, int normal, int anomalies, int d, long seed) {
        Random random = new Random(seed);
        double[][] loadings = loadings(random, d);
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < normal + anomalies; i++) {
            boolean anomaly = i >= normal;
            rows.add(RowFactory.create(Vectors.dense(plantedValues(random, loadings, anomaly, d)), anomaly ? 1.0 : 0.0));
        }
        java.util.Collections.shuffle(rows, random);
        return spark.createDataFrame(rows, SCHEMA).repartition(2);
    }

    /** Two rows of d random loadings: the plane {@link #planted}'s normal rows lie near. */
    private static double[][] loadings(Random random, int d) {
        double[][] loadings = new double[2][d];
        for (double[] row : loadings) {
            for (int j = 0; j < d; j++) {
                row[j] = random.nextGaussian();
            }
        }
        return loadings;
    }

    /** A {@link #planted} row's d values in an array of {@code width} (the rest 0): near the plane, or not. */
    private static double[] plantedValues(Random random, double[][] loadings, boolean anomaly, int width) {
        int d = loadings[0].length;
        double[] x = new double[width];
        double z1 = random.nextGaussian();
        double z2 = random.nextGaussian();
        for (int j = 0; j < d; j++) {
            x[j] = anomaly ? random.nextGaussian() * 1.5
                    : z1 * loadings[0][j] + z2 * loadings[1][j] + 0.05 * random.nextGaussian();
        }
        return x;
    }

    /**
     * Normal rows as in {@link #planted}; the anomalies all alike: one point off the normal rows' plane
     * (4 standard deviations along each feature), plus a little noise. Enough of them for an untrimmed
     * autoencoder to learn to reconstruct them.
     */
    static Dataset<Row> clusteredAnomalies(SparkSession spark, int normal, int anomalies, int d, long seed) {
        Random random = new Random(seed);
        double[][] loadings = new double[2][d];
        for (double[] row : loadings) {
            for (int j = 0; j < d; j++) {
                row[j] = random.nextGaussian();
            }
        }
        double[] center = new double[d];
        for (int j = 0; j < d; j++) {
            center[j] = (random.nextBoolean() ? 4 : -4) * Math.hypot(loadings[0][j], loadings[1][j]);
        }
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < normal + anomalies; i++) {
            boolean anomaly = i >= normal;
            double[] x = new double[d];
            double z1 = random.nextGaussian();
            double z2 = random.nextGaussian();
            for (int j = 0; j < d; j++) {
                x[j] = anomaly ? center[j] + 0.05 * random.nextGaussian()
                        : z1 * loadings[0][j] + z2 * loadings[1][j] + 0.05 * random.nextGaussian();
            }
            rows.add(RowFactory.create(Vectors.dense(x), anomaly ? 1.0 : 0.0));
        }
        java.util.Collections.shuffle(rows, random);
        return spark.createDataFrame(rows, SCHEMA).repartition(2);
    }

    /**
     * One double column per name plus "label": normal rows as in {@link #planted}; each anomaly is a
     * normal row whose feature {@code shifted} is moved up by {@code shiftSd} of that feature's standard
     * deviation among normal rows.
     */
    static Dataset<Row> shiftedFeature(SparkSession spark, String[] names, int normal, int anomalies, int shifted,
            double shiftSd, long seed) {
        int d = names.length;
        Random random = new Random(seed);
        double[][] loadings = new double[2][d];
        for (double[] row : loadings) {
            for (int j = 0; j < d; j++) {
                row[j] = random.nextGaussian();
            }
        }
        double noise = 0.05;
        double sd = Math.sqrt(loadings[0][shifted] * loadings[0][shifted] + loadings[1][shifted] * loadings[1][shifted]
                + noise * noise);
        StructType schema = new StructType();
        for (String name : names) {
            schema = schema.add(name, DataTypes.DoubleType, false);
        }
        schema = schema.add("label", DataTypes.DoubleType, false);
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < normal + anomalies; i++) {
            boolean anomaly = i >= normal;
            Object[] values = new Object[d + 1];
            double z1 = random.nextGaussian();
            double z2 = random.nextGaussian();
            for (int j = 0; j < d; j++) {
                double x = z1 * loadings[0][j] + z2 * loadings[1][j] + noise * random.nextGaussian();
                values[j] = anomaly && j == shifted ? x + shiftSd * sd : x;
            }
            values[d] = anomaly ? 1.0 : 0.0;
            rows.add(RowFactory.create(values));
        }
        java.util.Collections.shuffle(rows, random);
        return spark.createDataFrame(rows, schema).repartition(2);
    }

    /**
     * Anomalies hidden by noise: {@code noise} features of pure unit noise (no model reconstructs them: every
     * row has an error of about 1 on each), then three features driven by one latent factor, the last of them
     * tightly (noise 0.02 against a spread of 0.5). The anomalies move that last feature by 0.3 off the
     * relation: an error of about 0.4 standardized units squared, drowned by the noise features' errors
     * unless each feature's error is measured against what is usual for it.
     */
    static Dataset<Row> hiddenByNoise(SparkSession spark, int normal, int anomalies, int noise, long seed) {
        Random random = new Random(seed);
        List<Row> rows = new ArrayList<>();
        int d = noise + 3;
        for (int i = 0; i < normal + anomalies; i++) {
            boolean anomaly = i >= normal;
            double[] x = new double[d];
            for (int j = 0; j < noise; j++) {
                x[j] = random.nextGaussian();
            }
            double z = random.nextGaussian();
            x[noise] = z + 0.05 * random.nextGaussian();
            x[noise + 1] = -z + 0.05 * random.nextGaussian();
            x[noise + 2] = 0.5 * z + (anomaly ? 0.3 : 0) + 0.02 * random.nextGaussian();
            rows.add(RowFactory.create(Vectors.dense(x), anomaly ? 1.0 : 0.0));
        }
        java.util.Collections.shuffle(rows, random);
        return spark.createDataFrame(rows, SCHEMA).repartition(2);
    }

    /**
     * Normal rows and anomalies as in {@link #planted}, plus one feature that is 0 for every row except {@code spikes}
     * normal ones, where it takes a value of heavy-tailed size (e to the power of a standard normal, times 3): a
     * feature the network reconstructs exactly for most rows, whose rare values belong to the normal rows (as on
     * shuttle, where three such features put 0.7 % of the normal rows above 5 % of the anomalies).
     */
    static Dataset<Row> rareSpikes(SparkSession spark, int normal, int anomalies, int spikes, int d, long seed) {
        Random random = new Random(seed);
        double[][] loadings = loadings(random, d);
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < normal + anomalies; i++) {
            boolean anomaly = i >= normal;
            double[] x = plantedValues(random, loadings, anomaly, d + 1);
            x[d] = i < spikes ? 3 * Math.exp(random.nextGaussian()) : 0;
            rows.add(RowFactory.create(Vectors.dense(x), anomaly ? 1.0 : 0.0));
        }
        java.util.Collections.shuffle(rows, random);
        return spark.createDataFrame(rows, SCHEMA).repartition(2);
    }

    /** 400 good rows of 4 features, ids 0–399, then one of each kind of unusable vector: null, NaN, wrong size. */
    static Dataset<Row> withUnusableRows(SparkSession spark) {
        StructType schema = new StructType().add("id", DataTypes.IntegerType).add("features",
                SQLDataTypes.VectorType(), true);
        List<Row> rows = new ArrayList<>();
        Random random = new Random(3);
        for (int i = 0; i < 400; i++) {
            rows.add(RowFactory.create(i, Vectors.dense(random.nextGaussian(), random.nextGaussian(),
                    random.nextGaussian(), random.nextGaussian())));
        }
        rows.add(RowFactory.create(400, null));
        rows.add(RowFactory.create(401, Vectors.dense(1, Double.NaN, 0, 0)));
        rows.add(RowFactory.create(402, Vectors.dense(1, 2, 3)));
        return spark.createDataFrame(rows, schema).repartition(2);
    }

    /** The label and one double column per feature, f0 … f(d−1), as a table arrives before a VectorAssembler. */
    static Dataset<Row> asColumns(Dataset<Row> data, int d) {
        Dataset<Row> columns = data.select(functions.col("label"),
                org.apache.spark.ml.functions.vector_to_array(functions.col("features"), "float64").as("v"));
        for (int j = 0; j < d; j++) {
            columns = columns.withColumn("f" + j, functions.col("v").getItem(j));
        }
        return columns.drop("v");
    }

    /** The anomalyScore column, in row order. */
    static double[] scores(Dataset<Row> scored) {
        return scored.select("anomalyScore").collectAsList().stream().mapToDouble(r -> r.getDouble(0)).toArray();
    }
}
