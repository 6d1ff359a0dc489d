package io.github.deepanomaly.cli;

import io.github.deepanomaly.io.AtomicDirectory;
import java.util.List;
import java.util.Set;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/** Appends anomalyScore and prediction to a table and writes it out. */
public final class ScoreCommand implements Command {
    @Override
    public String name() {
        return "score";
    }

    @Override
    public String usage() {
        return "score --model DIR --input FILE.csv|DIR --output DIR [--format parquet|csv] [--input-format csv|parquet]"
                + " [--overwrite]";
    }

    @Override
    public String summary() {
        return "write the input's columns plus anomalyScore and prediction (Parquet, or CSV with a header)";
    }

    @Override
    public void run(SparkSession spark, List<String> words, Report report) throws Exception {
        Args args = Args.parse(name(), words, Set.of("model", "input", "output", "format", "input-format"),
                Set.of("overwrite"));
        String output = args.required("output");
        String format = args.get("format", "parquet");
        if (!format.equals("parquet") && !format.equals("csv")) {
            throw new UsageException("Unknown output format '" + format + "'; use parquet or csv");
        }
        if (!args.has("overwrite") && ModelStore.exists(spark, output)) {
            throw new UsageException("Output " + output + " already exists; pass --overwrite to replace it");
        }
        PipelineModel model = ModelStore.load(spark, args.required("model"));
        Dataset<Row> data = DataLoader.load(spark, args.required("input"), args.get("input-format", null));
        Dataset<Row> scored = ModelStore.score(model, data);
        long start = System.nanoTime();
        AtomicDirectory.write(output, spark.sparkContext().hadoopConfiguration(), true,
                directory -> scored.write().format(format).option("header", "true").save(directory));
        double seconds = (System.nanoTime() - start) / 1e9;
        Dataset<Row> written = spark.read().format(format).option("header", "true").option("inferSchema", "true")
                .load(output);
        long rows = written.count();
        String predictionCol = ((io.github.deepanomaly.core.DetectorParams<?>) ModelStore.detector(model))
                .getPredictionCol();
        long anomalies = List.of(written.columns()).contains(predictionCol)
                ? written.where(written.col(predictionCol).equalTo(1.0)).count() : -1;
        report.line("scored %d rows in %.1f s (%.0f rows/s); %d predicted anomalies; written to %s", rows, seconds,
                        rows / seconds, anomalies, output)
                .figure("rows", rows).figure("anomalies", anomalies).figure("scoreSeconds", TrainCommand.round(seconds))
                .figure("output", output);
    }
}
