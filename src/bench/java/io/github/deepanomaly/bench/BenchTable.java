package io.github.deepanomaly.bench;

import io.github.deepanomaly.cli.DataLoader;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;

/**
 * A table as the benchmarks use it: the numeric columns assembled into one {@link Contender#FEATURES}
 * vector, plus the label when there is one, cached and counted, so that no timing includes reading
 * or parsing the file.
 *
 * @param labelCol null when the table has no label
 */
record BenchTable(String name, Dataset<Row> frame, String labelCol, long rows, int dims) {

    /**
     * Loads a CSV file or Parquet directory the way the CLI does (types inferred); every numeric column
     * except {@code labelCol} is a feature.
     *
     * @param labelCol the label column; null or absent from the table: no label
     */
    static BenchTable load(SparkSession spark, String name, String path, String labelCol) {
        Dataset<Row> data = DataLoader.load(spark, path, null);
        String label = labelCol != null && Arrays.asList(data.columns()).contains(labelCol) ? labelCol : null;
        String[] features = DataLoader.featureColumns(data, List.of(), label,
                note -> System.err.println("note: " + note));
        List<Column> kept = new ArrayList<>(List.of(functions.col(Contender.FEATURES)));
        if (label != null) {
            kept.add(functions.col(label));
        }
        return cached(name, new VectorAssembler().setInputCols(features).setOutputCol(Contender.FEATURES)
                .transform(data).select(kept.toArray(new Column[0])), label, features.length);
    }

    /** {@code frame} (the features vector and the label, if any) cached and counted before anything is timed. */
    static BenchTable cached(String name, Dataset<Row> frame, String labelCol, int dims) {
        Dataset<Row> cached = frame.cache();
        return new BenchTable(name, cached, labelCol, cached.count(), dims);
    }

    void release() {
        frame.unpersist();
    }
}
