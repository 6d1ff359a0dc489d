package io.github.deepanomaly.cli;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;

/**
 * Reads the CLI's input: a CSV file (header, types inferred), a Parquet directory, or a directory tree of
 * image files through Spark's image source, on any Hadoop file system.
 */
public final class DataLoader {
    /** The column Spark's image source reads images into. */
    public static final String IMAGE_COL = "image";
    /** The label column {@link #withLabelFromParent} adds. */
    public static final String PARENT_LABEL_COL = "label";

    private DataLoader() {
    }

    /**
     * @param format "csv", "parquet", "image" or null to decide by the path: *.csv is CSV, anything else
     *               Parquet. "image": every file under the directory, at any depth (PNG, JPEG, BMP, GIF:
     *               what Java's ImageIO decodes), one row each, in the column {@value #IMAGE_COL}; files that
     *               are no image are rows too, which the detector names (or skips by its handleInvalid)
     */
    public static Dataset<Row> load(SparkSession spark, String path, String format) {
        String chosen = format != null ? format : (path.toLowerCase().endsWith(".csv") ? "csv" : "parquet");
        requireExists(spark, path);
        Dataset<Row> data = switch (chosen) {
            case "csv" -> spark.read().option("header", "true").option("inferSchema", "true").csv(path);
            case "parquet" -> spark.read().parquet(path);
            case "image" -> spark.read().format("image").option("recursiveFileLookup", "true").load(path);
            default -> throw new UsageException("Unknown input format '" + chosen + "'; use csv, parquet or image");
        };
        if (chosen.equals("image") && data.isEmpty()) {
            throw new UsageException("Input " + path + " has no files in it or its subfolders; give a directory of"
                    + " image files (PNG, JPEG, BMP, GIF)");
        }
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

    /**
     * Adds {@value #PARENT_LABEL_COL}: 0.0 for images whose parent folder is named {@code normalLabel}, 1.0
     * (anomaly) for the others, as a folder per class holds them. Fails naming the folders found when none
     * is called {@code normalLabel}.
     */
    public static Dataset<Row> withLabelFromParent(Dataset<Row> images, String normalLabel) {
        if (Arrays.asList(images.columns()).contains(PARENT_LABEL_COL)) {
            throw new UsageException("The input already has a column '" + PARENT_LABEL_COL + "'; give --label-col "
                    + PARENT_LABEL_COL + " instead of --label-from-parent");
        }
        Column parent = functions.element_at(functions.split(functions.col(IMAGE_COL + ".origin"), "/"), -2);
        Dataset<Row> labelled = images.withColumn(PARENT_LABEL_COL,
                functions.when(parent.equalTo(normalLabel), 0.0).otherwise(1.0));
        List<String> folders = images.select(parent).distinct().orderBy(parent).collectAsList().stream()
                .map(r -> r.getString(0)).toList();
        if (!folders.contains(normalLabel)) {
            throw new UsageException("No folder named '" + normalLabel + "' holds images; --normal-label takes one of"
                    + " the parent folders: " + String.join(", ", folders));
        }
        return labelled;
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
