package io.github.deepanomaly.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.deepanomaly.AnomalyEvaluator;
import io.github.deepanomaly.EventEvaluator;
import io.github.deepanomaly.LstmDetector;
import io.github.deepanomaly.LstmDetectorModel;
import io.github.deepanomaly.cli.Args;
import io.github.deepanomaly.cli.ParamSettings;
import io.github.deepanomaly.cli.Report;
import io.github.deepanomaly.cli.UsageException;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;
import org.apache.spark.sql.functions;

/**
 * Event-level detection quality on a NAB-style folder ({@code data/<category>/*.csv} with
 * {@code timestamp,value}, {@code labels/combined_windows.json}), Orion's unsupervised protocol: each
 * series fitted on all its rows (labels unseen) and scored; a row is labelled 1 inside a window. Per
 * category, event precision, recall and F1 ({@link EventEvaluator}) over the category's summed counts,
 * the mean point AUC-ROC over its series and the summed fit time, for the LSTM with default params and
 * for a rolling z-score measured in the same run: |x − mean| / std of the previous
 * {@value #ZSCORE_WINDOW} rows, predicted anomalous in the top {@code contamination} share of its scores
 * on the series (what the LSTM does with thresholdMethod 'contamination'; its default is 'dynamic').
 * A series without labelled windows (NAB's artificialNoAnomaly) counts its false events only: its point
 * AUC-ROC is undefined and left out of the category's mean, and a category without any window reports its
 * event counts with precision, recall and F1 null, and is left out of {@code meanEventF1}.
 */
final class TimeSeriesSuite implements Suite {
    static final int ZSCORE_WINDOW = 48;
    static final String LABEL = "label";
    /**
     * Smoothing spans and contamination levels whose event F1 is printed beside the defaults' (the same fitted
     * network, rescored, with a contamination quantile of the series' scores as threshold: thresholdMethod
     * 'contamination', whatever the model's), to show how much the smoothing and the threshold matter.
     */
    static final int[] SPAN_PROBES = {12, 48, 144};
    static final double[] CONTAMINATION_PROBES = {0.002, 0.005, 0.01};

    @Override
    public String name() {
        return "timeseries";
    }

    @Override
    public String usage() {
        return "--data DIR [--categories a,b] [--seed N] [--set param=value ...]";
    }

    @Override
    public Set<String> options() {
        return Set.of("data", "categories", "seed", "set");
    }

    @Override
    public void run(SparkSession spark, Args args, Table table, Report report) throws IOException {
        Path root = new Path(args.required("data"));
        FileSystem fs = root.getFileSystem(spark.sparkContext().hadoopConfiguration());
        Path labels = new Path(root, "labels/combined_windows.json");
        if (!fs.isFile(labels)) {
            throw new UsageException("--data " + root + " has no labels/combined_windows.json (a NAB-style folder:"
                    + " data/<category>/*.csv and labels/combined_windows.json)");
        }
        JsonNode windows;
        try (InputStream in = fs.open(labels)) {
            windows = new ObjectMapper().readTree(in);
        }
        List<String> only = args.list("categories");
        FileStatus[] categories = fs.listStatus(new Path(root, "data"));
        Arrays.sort(categories);
        Long seed = args.has("seed") ? BenchmarkCommand.positiveLong(args, "seed", 1) : null;
        List<String> probeColumns = new ArrayList<>();
        for (int span : SPAN_PROBES) {
            for (double c : CONTAMINATION_PROBES) {
                probeColumns.add("f1@" + span + "/" + c);
            }
        }
        List<Table.Column> columns = new ArrayList<>(List.of(Table.Column.text("series"), Table.Column.text("detector"),
                new Table.Column("rows", "%d"), new Table.Column("windows", "%d"), new Table.Column("tp", "%d"),
                new Table.Column("fp", "%d"), new Table.Column("fn", "%d"), new Table.Column("aucRoc", "%.4f"),
                new Table.Column("fitSeconds", "%.1f")));
        for (String probe : probeColumns) {
            columns.add(new Table.Column(probe, "%.2f"));
        }
        table.columns(columns.toArray(new Table.Column[0]));
        Map<String, Object> perCategory = new LinkedHashMap<>();
        Map<String, double[]> f1Sums = new LinkedHashMap<>(Map.of("lstm", new double[1], "zscore", new double[1]));
        Map<String, int[]> labelledCategories = new LinkedHashMap<>(Map.of("lstm", new int[1], "zscore", new int[1]));
        for (FileStatus category : categories) {
            String name = category.getPath().getName();
            if (!category.isDirectory() || (!only.isEmpty() && !only.contains(name))) {
                continue;
            }
            Map<String, Result> results = new LinkedHashMap<>(Map.of("lstm", new Result(), "zscore", new Result()));
            FileStatus[] files = fs.listStatus(category.getPath());
            Arrays.sort(files);
            int series = 0;
            for (FileStatus file : files) {
                String fileName = file.getPath().getName();
                if (!fileName.endsWith(".csv")) {
                    continue;
                }
                series++;
                Dataset<Row> data = labelled(spark, file.getPath().toString(), windows.get(name + "/" + fileName)).cache();
                long rows = data.count();
                int windowCount = windows.has(name + "/" + fileName) ? windows.get(name + "/" + fileName).size() : 0;
                LstmDetector detector = new LstmDetector();
                ParamSettings.apply(detector, args.settings());
                if (seed != null) {
                    detector.setSeed(seed);
                }
                long start = System.nanoTime();
                LstmDetectorModel model = detector.fit(data);
                double fitSeconds = Measure.secondsSince(start);
                Dataset<Row> scored = model.transform(data).select("timestamp", LABEL, "anomalyScore", "prediction")
                        .cache();
                List<Dataset<Row>> probes = new ArrayList<>();
                for (int span : SPAN_PROBES) {
                    probes.add(model.copy(new org.apache.spark.ml.param.ParamMap()).setSmoothingSpan(span)
                            .transform(data).select("timestamp", LABEL, "anomalyScore"));
                }
                measure(table, fileName, "lstm", rows, windowCount, scored, fitSeconds, results.get("lstm"), probes);
                scored.unpersist();
                start = System.nanoTime();
                Dataset<Row> z = zscores(data).cache();
                double threshold = z.where("anomalyScore IS NOT NULL").stat().approxQuantile("anomalyScore",
                        new double[] {1 - detector.getContamination()}, 1e-4)[0];
                Dataset<Row> zScored = z.withColumn("prediction", functions.when(
                        functions.col("anomalyScore").geq(threshold), 1.0).otherwise(0.0));
                double zSeconds = Measure.secondsSince(start);
                measure(table, fileName, "zscore", rows, windowCount, zScored, zSeconds, results.get("zscore"),
                        List.of(z)); // no smoothing to vary: its other span columns stay empty
                z.unpersist();
                data.unpersist();
            }
            Map<String, Object> figures = new LinkedHashMap<>();
            figures.put("series", series);
            for (Map.Entry<String, Result> e : results.entrySet()) {
                Result r = e.getValue();
                boolean labelled = r.events.truePositives() + r.events.falseNegatives() > 0;
                figures.put(e.getKey(), Measure.figures(
                        "eventPrecision", labelled ? Measure.round(r.events.precision()) : null,
                        "eventRecall", labelled ? Measure.round(r.events.recall()) : null,
                        "eventF1", labelled ? Measure.round(r.events.f1()) : null,
                        "truePositives", r.events.truePositives(), "falsePositives", r.events.falsePositives(),
                        "falseNegatives", r.events.falseNegatives(),
                        "pointAucRoc", r.aucSeries > 0 ? Measure.round(r.aucSum / r.aucSeries) : null,
                        "fitSeconds", Measure.round(r.seconds),
                        "meanSeriesEventF1", r.labelledSeries > 0 ? Measure.round(r.f1Sum / r.labelledSeries) : null));
                if (labelled) {
                    f1Sums.get(e.getKey())[0] += r.events.f1();
                    labelledCategories.get(e.getKey())[0]++;
                    report.line("%s, %s: event precision %.3f, recall %.3f, F1 %.3f (TP %d, FP %d, FN %d), point"
                            + " AUC-ROC %.3f, fit %.1f s", name, e.getKey(), r.events.precision(), r.events.recall(),
                            r.events.f1(), r.events.truePositives(), r.events.falsePositives(),
                            r.events.falseNegatives(), r.aucSum / r.aucSeries, r.seconds);
                } else {
                    report.line("%s, %s: no labelled window; %d false events, fit %.1f s", name, e.getKey(),
                            r.events.falsePositives(), r.seconds);
                }
            }
            perCategory.put(name, figures);
        }
        if (perCategory.isEmpty()) {
            throw new UsageException("No category folder under " + new Path(root, "data")
                    + (only.isEmpty() ? "" : " named " + String.join(", ", only)));
        }
        Map<String, Object> meanF1 = new LinkedHashMap<>();
        for (Map.Entry<String, double[]> e : f1Sums.entrySet()) {
            int n = labelledCategories.get(e.getKey())[0];
            meanF1.put(e.getKey(), n > 0 ? Measure.round(e.getValue()[0] / n) : null);
        }
        report.figure("categories", perCategory).figure("meanEventF1", meanF1)
                .figure("seed", seed == null ? "default" : seed);
    }

    /** Sums over one category's series. */
    private static final class Result {
        EventEvaluator.Metrics events = new EventEvaluator.Metrics(0, 0, 0);
        double aucSum;
        /** Series with both labels among their scored rows: those whose point AUC-ROC is defined. */
        int aucSeries;
        double seconds;
        double f1Sum;
        /** Series with at least one labelled window: those whose event F1 is defined. */
        int labelledSeries;
    }

    private static void measure(Table table, String series, String detector, long rows, int windowCount,
            Dataset<Row> scored, double fitSeconds, Result into, List<Dataset<Row>> probes) {
        EventEvaluator events = new EventEvaluator().setTimeCol("timestamp").setLabelCol(LABEL);
        EventEvaluator.Metrics m = events.metrics(scored);
        Dataset<Row> withScores = scored.where("anomalyScore IS NOT NULL");
        boolean bothLabels = withScores.where(LABEL + " = 1").limit(1).count() > 0
                && withScores.where(LABEL + " = 0").limit(1).count() > 0;
        double auc = bothLabels
                ? new AnomalyEvaluator().setLabelCol(LABEL).setScoreCol("anomalyScore").evaluateAll(withScores).areaUnderROC()
                : Double.NaN;
        List<Object> row = new ArrayList<>(List.of(series, detector, rows, (long) windowCount, m.truePositives(),
                m.falsePositives(), m.falseNegatives(), auc, fitSeconds));
        for (Dataset<Row> probe : probes) {
            Dataset<Row> cached = probe.cache();
            double[] thresholds = cached.where("anomalyScore IS NOT NULL").stat().approxQuantile("anomalyScore",
                    Arrays.stream(CONTAMINATION_PROBES).map(c -> 1 - c).toArray(), 1e-4);
            for (double t : thresholds) {
                row.add(events.metrics(cached.withColumn("prediction", functions.when(functions.col("anomalyScore")
                        .geq(t), 1.0).otherwise(0.0))).f1());
            }
            cached.unpersist();
        }
        while (row.size() < 9 + SPAN_PROBES.length * CONTAMINATION_PROBES.length) {
            row.add(Double.NaN);
        }
        table.row(row.toArray());
        into.events = into.events.plus(m);
        if (windowCount > 0) {
            into.f1Sum += m.f1();
            into.labelledSeries++;
        }
        if (bothLabels) {
            into.aucSum += auc;
            into.aucSeries++;
        }
        into.seconds += fitSeconds;
    }

    /** The series with a label column: 1 at a time inside one of its windows (inclusive), else 0. */
    static Dataset<Row> labelled(SparkSession spark, String file, JsonNode windows) {
        // NAB has a few repeated timestamps (11 in ec2_request_latency_system_failure): averaged, the fix the
        // detector's refusal of duplicates asks for, for both detectors alike
        Dataset<Row> data = spark.read().option("header", "true").option("inferSchema", "true").csv(file)
                .withColumn("timestamp", functions.col("timestamp").cast("timestamp"))
                .groupBy("timestamp").agg(functions.avg("value").as("value"));
        Column inside = functions.lit(false);
        if (windows != null) {
            for (Iterator<JsonNode> it = windows.elements(); it.hasNext(); ) {
                JsonNode w = it.next();
                inside = inside.or(functions.col("timestamp").between(
                        functions.to_timestamp(functions.lit(w.get(0).asText())),
                        functions.to_timestamp(functions.lit(w.get(1).asText()))));
            }
        }
        return data.withColumn(LABEL, functions.when(inside, 1.0).otherwise(0.0));
    }

    /** The rolling z-score baseline: one series, so a window over its rows in time order (one task). */
    private static Dataset<Row> zscores(Dataset<Row> data) {
        WindowSpec previous = Window.orderBy("timestamp").rowsBetween(-ZSCORE_WINDOW, -1);
        Column mean = functions.avg("value").over(previous);
        Column std = functions.stddev_pop("value").over(previous);
        Column count = functions.count("value").over(previous);
        return data.withColumn("anomalyScore", functions.when(count.geq(ZSCORE_WINDOW),
                functions.abs(functions.col("value").minus(mean)).divide(functions.greatest(std, functions.lit(1e-9)))));
    }
}
