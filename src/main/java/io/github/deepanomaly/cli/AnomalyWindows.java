package io.github.deepanomaly.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;

/**
 * Labelled anomaly windows in NAB's {@code combined_windows.json} format: {@code {"category/series.csv":
 * [["start", "end"], ...]}}, timestamps inclusive. A series file is matched to its entry by the end of its
 * path ("…/category/series.csv", or "series.csv" when only one entry ends so).
 */
public record AnomalyWindows(JsonNode byFile) {

    public static AnomalyWindows read(SparkSession spark, String file) {
        Path path = new Path(file);
        try {
            FileSystem fs = path.getFileSystem(spark.sparkContext().hadoopConfiguration());
            if (!fs.isFile(path)) {
                throw new UsageException("--windows " + file + " does not exist");
            }
            try (InputStream in = fs.open(path)) {
                JsonNode root = new ObjectMapper().readTree(in);
                if (root == null || !root.isObject()) {
                    throw new UsageException("--windows " + file + " is not a JSON object of file name → windows");
                }
                return new AnomalyWindows(root);
            }
        } catch (IOException e) {
            throw new UsageException("Cannot read --windows " + file + ": " + e.getMessage());
        }
    }

    /** The windows of the series at {@code input}: its entry, matched by the end of the path. */
    public JsonNode windowsOf(String input) {
        String normalized = input.replace('\\', '/');
        List<String> matches = new ArrayList<>();
        for (Iterator<String> it = byFile.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (normalized.endsWith("/" + key) || normalized.equals(key)
                    || normalized.endsWith("/" + key.substring(key.lastIndexOf('/') + 1))) {
                matches.add(key);
            }
        }
        if (matches.size() != 1) {
            throw new UsageException((matches.isEmpty() ? "No entry" : "Several entries " + matches) + " of --windows"
                    + " match the input " + input + "; its keys name files as category/series.csv");
        }
        return byFile.get(matches.get(0));
    }

    /** The data with {@code labelCol}: 1.0 for a row whose time lies in one of the input's windows, else 0.0. */
    public Dataset<Row> label(Dataset<Row> data, String input, String timeCol, String labelCol) {
        Column time = functions.col(timeCol).cast("timestamp");
        Column inside = functions.lit(false);
        for (Iterator<JsonNode> it = windowsOf(input).elements(); it.hasNext(); ) {
            JsonNode w = it.next();
            if (!w.isArray() || w.size() != 2) {
                throw new UsageException("A window of --windows must be [start, end], got " + w);
            }
            inside = inside.or(time.between(functions.to_timestamp(functions.lit(w.get(0).asText())),
                    functions.to_timestamp(functions.lit(w.get(1).asText()))));
        }
        return data.withColumn(labelCol, functions.when(inside, 1.0).otherwise(0.0));
    }
}
