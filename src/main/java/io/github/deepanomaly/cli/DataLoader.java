package io.github.deepanomaly.cli;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;

/** Reads the CLI's input: a CSV file (header, types inferred) or a Parquet directory, on any Hadoop file system. */
public final class DataLoader {
    private DataLoader() {
    }

    /** @param format "csv", "parquet" or null to decide by the path: *.csv is CSV, anything else Parquet */
    public static Dataset<Row> load(SparkSession spark, String path, String format) {
        String chosen = format != null ? format : (path.toLowerCase().endsWith(".csv") ? "csv" : "parquet");
        requireExists(spark, path);
        Dataset<Row> data = switch (chosen) {
            case "csv" -> spark.read().option("header", "true").option("inferSchema", "true").csv(path);
            case "parquet" -> spark.read().parquet(path);
            default -> throw new UsageException("Unknown input format '" + chosen + "'; use csv or parquet");
        };
        if (data.isEmpty()) {
            throw new UsageException("Input " + path + " has no rows");
        }
        return data;
    }

    private static void requireExists(SparkSession spark, String path) {
        try {
            Path p = new Path(path);
            FileSystem fs = p.getFileSystem(spark.sparkContext().hadoopConfiguration());
            if (!fs.exists(p)) {
                throw new UsageException("Input not found: " + path);
            }
        } catch (IOException e) {
            throw new UsageException("Cannot read input " + path + ": " + e.getMessage());
        }
    }

    public static boolean isNumeric(DataType type) {
        return type instanceof NumericType || type instanceof DecimalType;
    }

    /**
     * The feature columns: the ones named (each must exist and be numeric) or, when none are named,
     * every numeric column except the label; then the columns left out for not being numeric are named in one
     * line to {@code note}, so that none is dropped without a word.
     */
    public static String[] featureColumns(Dataset<Row> data, List<String> named, String labelCol,
            Consumer<String> note) {
        List<String> columns = Arrays.asList(data.columns());
        if (labelCol != null && !columns.contains(labelCol)) {
            throw new UsageException("Label column '" + labelCol + "' not found; columns: " + String.join(", ", columns));
        }
        List<String> features = new ArrayList<>();
        if (named.isEmpty()) {
            List<String> leftOut = new ArrayList<>();
            for (StructField field : data.schema().fields()) {
                if (field.name().equals(labelCol)) {
                    continue;
                }
                if (isNumeric(field.dataType())) {
                    features.add(field.name());
                } else {
                    leftOut.add(field.name() + " (" + field.dataType().simpleString() + ")");
                }
            }
            if (features.isEmpty()) {
                throw new UsageException("The input has no numeric columns besides the label; name them with --features");
            }
            if (!leftOut.isEmpty()) {
                note.accept("left out " + String.join(", ", leftOut) + ": not numeric; the features are every"
                        + " numeric column but the label, unless you choose them with --features a,b,c");
            }
        } else {
            for (String name : named) {
                if (!columns.contains(name)) {
                    throw new UsageException("Feature column '" + name + "' not found; columns: " + String.join(", ", columns));
                }
                DataType type = data.schema().apply(name).dataType();
                if (!isNumeric(type)) {
                    throw new UsageException("Feature column '" + name + "' is " + type.simpleString()
                            + ", not numeric; leave it out of --features or convert it");
                }
                if (name.equals(labelCol)) {
                    throw new UsageException("Column '" + name + "' is the label; it cannot also be a feature");
                }
                features.add(name);
            }
        }
        return features.toArray(new String[0]);
    }
}
