package io.github.deepanomaly.cli;

import io.github.deepanomaly.AnomalyEvaluator;
import io.github.deepanomaly.EventEvaluator;
import io.github.deepanomaly.LstmParams;
import io.github.deepanomaly.core.DetectorParams;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;

/** Scores a labelled table and reports how well the scores separate the anomalies. */
public final class EvaluateCommand implements Command {
    @Override
    public String name() {
        return "evaluate";
    }

    @Override
    public String usage() {
        return "evaluate --model DIR --input FILE.csv|DIR --label-col C [--input-format csv|parquet]\n  evaluate --model DIR"
                + " --input DIR --input-format image --label-from-parent --normal-label NAME"
                + "\n  evaluate --model DIR --input DIR/category/series.csv --windows combined_windows.json (a series model:"
                + " labels from NAB's anomaly windows, point and event metrics)";
    }

    @Override
    public String summary() {
        return "score a labelled table (label 1 = anomaly), or images in a folder per class (--label-from-parent:"
                + " the folder --normal-label names is normal), and report AUC-ROC, AUC-PR, precision@k and F1";
    }

    @Override
    public void run(SparkSession spark, List<String> words, Report report) throws Exception {
        Args args = Args.parse(name(), words, Set.of("model", "input", "label-col", "input-format", "normal-label",
                "windows"), Set.of("label-from-parent"));
        if (args.has("windows")) {
            PipelineModel model = ModelStore.load(spark, args.required("model"));
            Dataset<Row> data = DataLoader.load(spark, args.required("input"), args.get("input-format", null));
            if (!(ModelStore.detector(model) instanceof LstmParams<?> series)) {
                throw new UsageException("--windows labels a time series: give a model trained with --detector lstm");
            }
            String labelCol = args.get("label-col", "label");
            data = AnomalyWindows.read(spark, args.required("windows"))
                    .label(data, args.required("input"), series.getTimeCol(), labelCol);
            // a series no window covers (NAB's artificialNoAnomaly) has no point metrics; its false events still count
            boolean anyWindow = data.where(functions.col(labelCol).equalTo(1.0)).limit(1).count() > 0;
            if (anyWindow) {
                evaluate(model, data, labelCol, report);
            } else {
                report.line("no anomaly window covers this input: point metrics (AUC-ROC, AUC-PR, F1) are undefined;"
                        + " the false events are counted below");
            }
            EventEvaluator.Metrics events = new EventEvaluator().setLabelCol(labelCol)
                    .setPredictionCol(series.getPredictionCol()).setTimeCol(series.getTimeCol())
                    .setSeriesCol(series.getSeriesCol()).metrics(ModelStore.score(model, data));
            if (anyWindow) {
                report.line("events          precision %.4f, recall %.4f, F1 %.4f (%d windows found, %d missed, %d"
                        + " predicted events outside every window)", events.precision(), events.recall(), events.f1(),
                        events.truePositives(), events.falseNegatives(), events.falsePositives());
            } else {
                report.line("events          %d predicted events, all outside every window", events.falsePositives());
            }
            report.figure("eventPrecision", anyWindow ? events.precision() : null)
                    .figure("eventRecall", anyWindow ? events.recall() : null)
                    .figure("eventF1", anyWindow ? events.f1() : null)
                    .figure("truePositives", events.truePositives()).figure("falsePositives", events.falsePositives())
                    .figure("falseNegatives", events.falseNegatives());
            return;
        }
        boolean fromParent = args.has("label-from-parent");
        if (!fromParent && !args.has("label-col")) {
            throw new UsageException("Missing --label-col (1 = anomaly); or, for images in a folder per class,"
                    + " --label-from-parent --normal-label NAME");
        }
        if (fromParent && args.has("label-col")) {
            throw new UsageException("Give the labels one way: --label-col C, or --label-from-parent --normal-label NAME");
        }
        if (fromParent != args.has("normal-label")) {
            throw new UsageException("--label-from-parent and --normal-label NAME go together: the images in folders"
                    + " named NAME are normal, all others anomalies");
        }
        if (fromParent && !"image".equals(args.get("input-format", null))) {
            throw new UsageException("--label-from-parent reads the labels from image folders; give --input-format image");
        }
        String labelCol = fromParent ? DataLoader.PARENT_LABEL_COL : args.required("label-col");
        PipelineModel model = ModelStore.load(spark, args.required("model"));
        Dataset<Row> data = DataLoader.load(spark, args.required("input"), args.get("input-format", null));
        if (fromParent) {
            data = DataLoader.withLabelFromParent(data, args.required("normal-label"));
        }
        if (!List.of(data.columns()).contains(labelCol)) {
            throw new UsageException("Label column '" + labelCol + "' not found; columns: "
                    + String.join(", ", data.columns()));
        }
        evaluate(model, data, labelCol, report);
    }

    /** Scores once into the cache (timed), then computes every metric from the cached scores. */
    static void evaluate(PipelineModel model, Dataset<Row> data, String labelCol, Report report) {
        DetectorParams<?> detector = (DetectorParams<?>) ModelStore.detector(model);
        Dataset<Row> scored = ModelStore.score(model, data);
        if (detector instanceof LstmParams<?>) {
            // the first windowSize rows of each series have no score (no full window before them)
            scored = scored.where(functions.col(detector.getScoreCol()).isNotNull());
        }
        List<String> kept = new ArrayList<>(List.of(labelCol, detector.getScoreCol()));
        boolean hasPrediction = List.of(scored.columns()).contains(detector.getPredictionCol());
        if (hasPrediction) {
            kept.add(detector.getPredictionCol());
        }
        Dataset<Row> scores = scored.select(kept.stream().map(functions::col).toArray(org.apache.spark.sql.Column[]::new))
                .cache();
        long start = System.nanoTime();
        long rows = scores.count();
        double scoreSeconds = (System.nanoTime() - start) / 1e9;
        AnomalyEvaluator evaluator = new AnomalyEvaluator().setLabelCol(labelCol)
                .setScoreCol(detector.getScoreCol()).setPredictionCol(detector.getPredictionCol());
        AnomalyEvaluator.Metrics metrics = evaluator.evaluateAll(scores);
        long predicted = hasPrediction ? scores.where(functions.col(detector.getPredictionCol()).equalTo(1.0)).count() : -1;
        scores.unpersist();
        report.line("rows            %d (%d labelled anomalies)", rows, metrics.anomalies())
                .line("scored in       %.2f s (%.0f rows/s)", scoreSeconds, rows / scoreSeconds)
                .line("AUC-ROC         %.4f", metrics.areaUnderROC())
                .line("AUC-PR          %.4f", metrics.areaUnderPR())
                .line("precision@k     %.4f (k = %d)", metrics.precisionAtK(), metrics.anomalies())
                .line("best F1         %.4f", metrics.bestF1());
        if (hasPrediction) {
            report.line("F1 at threshold %.4f (%d rows predicted anomalous)", metrics.f1AtThreshold(), predicted);
        }
        report.figure("aucRoc", metrics.areaUnderROC()).figure("aucPr", metrics.areaUnderPR())
                .figure("precisionAtK", metrics.precisionAtK()).figure("bestF1", metrics.bestF1())
                .figure("f1AtThreshold", hasPrediction ? metrics.f1AtThreshold() : null)
                .figure("rows", rows).figure("labelledAnomalies", metrics.anomalies())
                .figure("anomalies", predicted).figure("scoreSeconds", TrainCommand.round(scoreSeconds));
    }
}
