package io.github.deepanomaly.cli;

import io.github.deepanomaly.core.DetectorParamSet;
import io.github.deepanomaly.core.DetectorParams;
import io.github.deepanomaly.core.ScoringModel;
import io.github.deepanomaly.io.AtomicDirectory;
import java.util.List;
import java.util.Set;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;

/**
 * Appends anomalyScore and prediction to a table, and on request normalizedScore, confidence and
 * explanation, and writes it out.
 */
public final class ScoreCommand implements Command {
    static final String NORMALIZED_COL = "normalizedScore";
    static final String CONFIDENCE_COL = "confidence";
    static final String EXPLANATION_COL = "explanation";
    static final String HEATMAP_COL = "heatmap";
    static final String ORIGIN_COL = "origin";
    static final int DEFAULT_HEATMAPS = 10;

    @Override
    public String name() {
        return "score";
    }

    @Override
    public String usage() {
        return "score --model DIR --input FILE.csv|DIR --output DIR [--format parquet|csv] [--input-format csv|parquet]"
                + " [--explain K] [--normalized] [--confidence] [--overwrite]\n  score --model DIR --input DIR"
                + " --input-format image --output DIR [--format parquet|csv] [--heatmaps DIR [--top N]] [--normalized]"
                + " [--confidence] [--overwrite]";
    }

    @Override
    public String summary() {
        return "write the input's columns plus anomalyScore and prediction (Parquet, or CSV with a header); on request"
                + " normalizedScore (rank, in [0, 1]), confidence (ExCeeD) and explanation (the K features"
                + " contributing most); for images, --heatmaps DIR draws the N highest scored beside their error"
                + " heatmaps";
    }

    @Override
    public void run(SparkSession spark, List<String> words, Report report) throws Exception {
        Args args = Args.parse(name(), words, Set.of("model", "input", "output", "format", "input-format", "explain",
                "heatmaps", "top"), Set.of("overwrite", "normalized", "confidence"));
        String output = args.required("output");
        String format = args.get("format", "parquet");
        if (!format.equals("parquet") && !format.equals("csv")) {
            throw new UsageException("Unknown output format '" + format + "'; use parquet or csv");
        }
        if (!args.has("overwrite") && ModelStore.exists(spark, output)) {
            throw new UsageException("Output " + output + " already exists; pass --overwrite to replace it");
        }
        Integer explainTopK = args.has("explain") ? explainTopK(args.required("explain")) : null;
        String heatmaps = args.get("heatmaps", null);
        int top = args.has("top") ? positive("top", args.required("top")) : DEFAULT_HEATMAPS;
        if (heatmaps != null && !args.has("overwrite") && ModelStore.exists(spark, heatmaps)) {
            throw new UsageException("Heatmap directory " + heatmaps + " already exists; pass --overwrite to replace it");
        }
        if (args.has("top") && heatmaps == null) {
            throw new UsageException("--top says how many heatmaps --heatmaps DIR writes; give --heatmaps too");
        }
        PipelineModel model = ModelStore.load(spark, args.required("model"));
        boolean images = ModelStore.readsImages(model);
        if (images && explainTopK != null) {
            throw new UsageException("--explain lists a table's strongest features; for images, --heatmaps DIR draws"
                    + " where the error is");
        }
        if (!images && heatmaps != null) {
            throw new UsageException("--heatmaps draws the error of images, and this model scores a table; use"
                    + " --explain K");
        }
        DetectorParams<?> detector = (DetectorParams<?>) ModelStore.detector(model);
        requestOutputs(detector, explainTopK, args.has("normalized"), args.has("confidence"));
        if (heatmaps != null) {
            detector.setExplanationCol(HEATMAP_COL);
        }
        Dataset<Row> data = DataLoader.load(spark, args.required("input"), args.get("input-format", null));
        Dataset<Row> scored = ModelStore.score(model, data);
        String explanationCol = detector.getExplanationCol();
        Dataset<Row> toWrite = format.equals("csv") && !explanationCol.isEmpty() && !images
                ? scored.withColumn(explanationCol, explanationText(explanationCol)) : scored;
        if (images) {
            toWrite = imageResults(toWrite, detector.getFeaturesCol(), format.equals("csv") ? HEATMAP_COL : null);
        }
        Dataset<Row> written0 = toWrite;
        long start = System.nanoTime();
        AtomicDirectory.write(output, spark.sparkContext().hadoopConfiguration(), true,
                directory -> written0.write().format(format).option("header", "true").save(directory));
        double seconds = (System.nanoTime() - start) / 1e9;
        Dataset<Row> written = spark.read().format(format).option("header", "true").option("inferSchema", "true")
                .load(output);
        long rows = written.count();
        String predictionCol = detector.getPredictionCol();
        long anomalies = List.of(written.columns()).contains(predictionCol)
                ? written.where(written.col(predictionCol).equalTo(1.0)).count() : -1;
        report.line("scored %d rows in %.1f s (%.0f rows/s); %d predicted anomalies; written to %s", rows, seconds,
                        rows / seconds, anomalies, output)
                .figure("rows", rows).figure("anomalies", anomalies).figure("scoreSeconds", TrainCommand.round(seconds))
                .figure("output", output);
        if (heatmaps != null) {
            writeHeatmaps(spark, scored, detector, top, heatmaps, report);
        }
    }

    /**
     * The scored images as a table: the image struct (its pixels are in the input files already) replaced by
     * its origin, first; {@code dropCol}, when given, left out (CSV has no vectors).
     */
    private static Dataset<Row> imageResults(Dataset<Row> scored, String imageCol, String dropCol) {
        List<Column> columns = new java.util.ArrayList<>();
        columns.add(functions.col(imageCol + ".origin").as(ORIGIN_COL));
        for (String c : scored.columns()) {
            if (!c.equals(imageCol) && !c.equals(dropCol)) {
                columns.add(io.github.deepanomaly.core.SchemaChecks.column(c));
            }
        }
        return scored.select(columns.toArray(new Column[0]));
    }

    /** The {@code top} highest scored images beside their heatmaps, as PNG files (a second pass over the input). */
    private static void writeHeatmaps(SparkSession spark, Dataset<Row> scored, DetectorParams<?> detector, int top,
            String directory, Report report) throws Exception {
        String scoreCol = detector.getScoreCol();
        List<HeatmapImages.Scored> ranked = scored.where(functions.col(scoreCol).isNotNull())
                .orderBy(functions.desc(scoreCol)).limit(top)
                .select(functions.col(detector.getFeaturesCol()), functions.col(scoreCol), functions.col(HEATMAP_COL))
                .collectAsList().stream()
                .map(r -> new HeatmapImages.Scored(r.getStruct(0), r.getDouble(1),
                        (org.apache.spark.ml.linalg.Vector) r.get(2)))
                .toList();
        io.github.deepanomaly.image.ImageShape shape = ((io.github.deepanomaly.ConvAutoencoderParams<?>) detector)
                .imageShape();
        List<List<String>> names = new java.util.ArrayList<>();
        AtomicDirectory.write(directory, spark.sparkContext().hadoopConfiguration(), true,
                d -> names.add(HeatmapImages.write(ranked, shape, d, spark.sparkContext().hadoopConfiguration())));
        report.line("%d heatmaps of the highest scores written to %s (image left, squared error right)",
                ranked.size(), directory).figure("heatmaps", directory).figure("heatmapFiles", names.get(0));
    }

    private static int positive(String option, String value) {
        try {
            int n = Integer.parseInt(value);
            if (n >= 1) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new UsageException("--" + option + " takes a whole number >= 1; got '" + value + "'");
    }

    private static int explainTopK(String value) {
        try {
            int k = Integer.parseInt(value);
            if (k >= 1) {
                return k;
            }
        } catch (NumberFormatException e) {
            // reported below, as for a number out of range
        }
        throw new UsageException("--explain takes how many features to list per row, a whole number >= 1; got '"
                + value + "'");
    }

    /** Sets the detector's output params for what the options ask; only the model in memory changes. */
    private static void requestOutputs(DetectorParams<?> detector, Integer explainTopK, boolean normalized,
            boolean confidence) {
        if (explainTopK != null) {
            detector.setExplanationCol(EXPLANATION_COL).setExplainTopK(explainTopK);
        }
        if (normalized) {
            detector.setNormalizedScoreCol(NORMALIZED_COL).setNormalization(DetectorParamSet.NORMALIZATION_RANK);
        }
        if (confidence) {
            if (Double.isNaN(((ScoringModel) detector).getThreshold()) || detector.getContamination() <= 0) {
                throw new UsageException("--confidence needs a model with a threshold; train it with"
                        + " --set contamination=X for some X > 0");
            }
            detector.setConfidenceCol(CONFIDENCE_COL);
        }
    }

    /**
     * CSV has no arrays: the explanation becomes "name:contribution;name:contribution;...", strongest first,
     * contributions to 4 significant digits (format_string formats with java.util.Formatter in Locale.US).
     */
    static Column explanationText(String explanationCol) {
        return functions.concat_ws(";", functions.transform(functions.col(explanationCol),
                e -> functions.format_string("%s:%.4g", e.getField("name"), e.getField("contribution"))));
    }
}
