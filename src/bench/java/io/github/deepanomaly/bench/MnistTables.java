package io.github.deepanomaly.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.function.IntPredicate;
import org.apache.spark.ml.linalg.VectorUDT;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Labelled tables built from MNIST images the way ODDS built its {@code mnist} and {@code optdigits} sets: data
 * no default was chosen on (the shared tables are where they were), for the quality suite's {@code --mnist}.
 * <ul>
 * <li>{@code mnistNA}: every image of digit N as a normal row, a tenth as many images of digit A drawn at random
 * as anomalies, 100 pixels drawn at random among those not constant over the table (ODDS's {@code mnist} is
 * 0 against 6);</li>
 * <li>{@code optdigits}: each image padded to a multiple of 8 and summed in blocks to 8 × 8 = 64 features scaled to
 * 0–16 (as UCI's optdigits), 5,000 images of digits 1–9 as normal rows, 150 zeros as anomalies.</li>
 * </ul>
 * Tables whose digits the images lack are left out. Seeded: the same images give the same tables.
 */
final class MnistTables {
    /** (normal digit, anomaly digit): ODDS's pair first, then pairs of digits that look alike to different degrees. */
    static final int[][] PAIRS = {{0, 6}, {1, 7}, {3, 5}, {4, 9}, {8, 2}};
    static final double ANOMALY_SHARE = 0.1;
    static final int PIXELS = 100;
    static final int BLOCKS = 8;
    static final int BLOCK_MAX = 16;
    static final int OPTDIGITS_NORMAL = 5_000;
    static final int OPTDIGITS_ANOMALIES = 150;
    static final long SEED = 20261201L;

    /** One table: its rows' features and whether each row is an anomaly (1) or not (0). */
    record Table(String name, double[][] features, int[] labels) {
        int dims() {
            return features[0].length;
        }

        /** As the quality suite reads a CSV: the features in one vector column, the label beside it, cached. */
        BenchTable toBench(SparkSession spark) {
            StructType schema = new StructType().add(Contender.FEATURES, new VectorUDT(), false)
                    .add(QualitySuite.LABEL, DataTypes.IntegerType, false);
            List<Row> rows = new ArrayList<>(labels.length);
            for (int i = 0; i < labels.length; i++) {
                rows.add(RowFactory.create(Vectors.dense(features[i]), labels[i]));
            }
            return BenchTable.cached(name, spark.createDataFrame(rows, schema), QualitySuite.LABEL, dims());
        }
    }

    private MnistTables() {
    }

    static List<Table> of(MnistIdx images) {
        Random random = new Random(SEED);
        List<Table> tables = new ArrayList<>();
        for (int[] pair : PAIRS) {
            List<Integer> normal = indicesOf(images, d -> d == pair[0]);
            List<Integer> anomalies = indicesOf(images, d -> d == pair[1]);
            int count = (int) Math.round(ANOMALY_SHARE * normal.size());
            if (normal.isEmpty() || anomalies.size() < Math.max(1, count)) {
                continue;
            }
            double[][] pixels = pixelsOf(images, joined(normal, drawn(anomalies, count, random)));
            int[] columns = randomVaryingColumns(pixels, PIXELS, random);
            tables.add(shuffled("mnist" + pair[0] + pair[1], select(pixels, columns), normal.size(), random));
        }
        List<Integer> digits = indicesOf(images, d -> d != 0);
        List<Integer> zeros = indicesOf(images, d -> d == 0);
        if (!digits.isEmpty() && !zeros.isEmpty()) {
            List<Integer> normal = drawn(digits, Math.min(OPTDIGITS_NORMAL, digits.size()), random);
            List<Integer> anomalies = drawn(zeros, Math.min(OPTDIGITS_ANOMALIES, zeros.size()), random);
            tables.add(shuffled("optdigits", blockSums(images, joined(normal, anomalies)), normal.size(), random));
        }
        return tables;
    }

    private static List<Integer> indicesOf(MnistIdx images, IntPredicate digit) {
        List<Integer> found = new ArrayList<>();
        for (int i = 0; i < images.size(); i++) {
            if (digit.test(images.labels()[i])) {
                found.add(i);
            }
        }
        return found;
    }

    private static List<Integer> drawn(List<Integer> from, int count, Random random) {
        List<Integer> copy = new ArrayList<>(from);
        Collections.shuffle(copy, random);
        return new ArrayList<>(copy.subList(0, count));
    }

    /** The normal rows first, then the anomalies: {@link #shuffled} tells them apart by that order. */
    private static List<Integer> joined(List<Integer> normal, List<Integer> anomalies) {
        List<Integer> rows = new ArrayList<>(normal);
        rows.addAll(anomalies);
        return rows;
    }

    private static double[][] pixelsOf(MnistIdx images, List<Integer> rows) {
        double[][] out = new double[rows.size()][];
        for (int r = 0; r < rows.size(); r++) {
            byte[] image = images.pixels()[rows.get(r)];
            out[r] = new double[image.length];
            for (int p = 0; p < image.length; p++) {
                out[r][p] = image[p] & 0xff;
            }
        }
        return out;
    }

    /** Up to {@code count} columns drawn among those that vary over the rows, in their original order. */
    private static int[] randomVaryingColumns(double[][] rows, int count, Random random) {
        List<Integer> varying = new ArrayList<>();
        for (int j = 0; j < rows[0].length; j++) {
            for (double[] row : rows) {
                if (row[j] != rows[0][j]) {
                    varying.add(j);
                    break;
                }
            }
        }
        Collections.shuffle(varying, random);
        return varying.subList(0, Math.min(count, varying.size())).stream().mapToInt(Integer::intValue).sorted().toArray();
    }

    private static double[][] select(double[][] rows, int[] columns) {
        double[][] out = new double[rows.length][columns.length];
        for (int r = 0; r < rows.length; r++) {
            for (int c = 0; c < columns.length; c++) {
                out[r][c] = rows[r][columns[c]];
            }
        }
        return out;
    }

    /** Each image centred in a square of a multiple of 8 pixels and summed in 8 × 8 blocks, scaled to 0–16. */
    private static double[][] blockSums(MnistIdx images, List<Integer> rows) {
        int side = BLOCKS * (int) Math.ceil(Math.max(images.height(), images.width()) / (double) BLOCKS);
        int block = side / BLOCKS;
        int top = (side - images.height()) / 2;
        int left = (side - images.width()) / 2;
        double[][] sums = new double[rows.size()][BLOCKS * BLOCKS];
        double max = 0;
        for (int r = 0; r < rows.size(); r++) {
            byte[] image = images.pixels()[rows.get(r)];
            for (int p = 0; p < image.length; p++) {
                int y = (p / images.width() + top) / block;
                int x = (p % images.width() + left) / block;
                sums[r][y * BLOCKS + x] += image[p] & 0xff;
            }
            max = Math.max(max, Arrays.stream(sums[r]).max().orElse(0));
        }
        for (double[] row : sums) {
            for (int j = 0; j < row.length; j++) {
                row[j] = max > 0 ? Math.round(row[j] / max * BLOCK_MAX) : 0;
            }
        }
        return sums;
    }

    /** The first {@code normalCount} rows normal, the rest anomalies, in a random order (no table arrives sorted). */
    private static Table shuffled(String name, double[][] rows, int normalCount, Random random) {
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < rows.length; i++) {
            order.add(i);
        }
        Collections.shuffle(order, random);
        double[][] features = new double[rows.length][];
        int[] labels = new int[rows.length];
        for (int i = 0; i < rows.length; i++) {
            features[i] = rows[order.get(i)];
            labels[i] = order.get(i) < normalCount ? 0 : 1;
        }
        return new Table(name, features, labels);
    }
}
