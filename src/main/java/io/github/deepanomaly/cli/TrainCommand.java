package io.github.deepanomaly.cli;

import io.github.deepanomaly.LstmParams;
import io.github.deepanomaly.core.DetectorParamSet;
import io.github.deepanomaly.core.DetectorParams;
import io.github.deepanomaly.core.SchemaChecks;
import io.github.deepanomaly.core.ScoringModel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.apache.spark.ml.Estimator;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;

/** Fits VectorAssembler + detector on a table and saves the PipelineModel. */
public final class TrainCommand implements Command {
    @Override
    public String name() {
        return "train";
    }

    @Override
    public String usage() {
        return "train --input FILE.csv|DIR --model DIR [--detector " + String.join("|", Detectors.names()) + "]"
                + " [--label-col C] [--features a,b,c] [--set param=value ...] [--input-format csv|parquet] [--overwrite]"
                + "\n  train --detector lstm --input FILE.csv|DIR --model DIR [--time-col timestamp] [--value-cols value,...]"
                + " [--series-col id] [--set param=value ...] [--overwrite]";
    }

    @Override
    public String summary() {
        return "train a detector on every numeric column except the label (or on --features) and save the model";
    }

    @Override
    public void run(SparkSession spark, List<String> words, Report report) throws Exception {
        Args args = Args.parse(name(), words, Set.of("input", "model", "detector", "label-col", "features",
                "input-format", "set", "time-col", "value-cols", "series-col"), Set.of("overwrite"));
        String modelPath = args.required("model");
        ModelStore.requireSavable(spark, modelPath, args.has("overwrite"));
        Estimator<?> detector = Detectors.create(args.get("detector", "autoencoder"));
        ParamSettings.apply(detector, args.settings());
        Dataset<Row> data = DataLoader.load(spark, args.required("input"), args.get("input-format", null)).cache();
        if (detector instanceof LstmParams<?> series) {
            PipelineModel model = fitSeries(data, series, args, report);
            ModelStore.save(spark, model, modelPath, args.has("overwrite"));
            report.line("model saved to %s", modelPath).figure("model", modelPath);
            data.unpersist();
            return;
        }
        String[] features = DataLoader.featureColumns(data, args.list("features"), args.get("label-col", null),
                report::note);
        PipelineModel model = fit(data, features, detector, report);
        ModelStore.save(spark, model, modelPath, args.has("overwrite"));
        report.line("model saved to %s", modelPath).figure("model", modelPath);
        data.unpersist();
    }

    /** A series detector reads the long-format table itself: a pipeline of the detector alone. */
    static PipelineModel fitSeries(Dataset<Row> data, LstmParams<?> detector, Args args, Report report) {
        detector.setTimeCol(args.get("time-col", detector.getTimeCol()));
        if (!args.list("value-cols").isEmpty()) {
            detector.setValueCols(args.list("value-cols").toArray(new String[0]));
        }
        detector.setSeriesCol(args.get("series-col", detector.getSeriesCol()));
        long rows = data.count();
        report.line("training %s on %d rows (time %s, values %s%s)", detector.getClass().getSimpleName(), rows,
                detector.getTimeCol(), String.join(", ", detector.getValueCols()),
                detector.getSeriesCol().isEmpty() ? "" : ", series " + detector.getSeriesCol());
        long start = System.nanoTime();
        PipelineModel model;
        try (Progress progress = Progress.start(data.sparkSession().sparkContext(), System.err)) {
            model = new Pipeline().setStages(new PipelineStage[] {(PipelineStage) detector}).fit(data);
        }
        return reportFit(model, rows, detector.getValueCols(), start, report);
    }

    /** Fits the pipeline and reports rows, features, fit time and threshold. */
    static PipelineModel fit(Dataset<Row> data, String[] features, Estimator<?> detector, Report report) {
        String vectorCol = Arrays.asList(data.columns()).contains("features") ? "features_vector" : "features";
        ((DetectorParams<?>) detector).setFeaturesCol(vectorCol);
        // "keep" turns a null cell into NaN so that the detector's handleInvalid decides what happens to the row
        VectorAssembler assembler = new VectorAssembler().setInputCols(features).setOutputCol(vectorCol)
                .setHandleInvalid("keep");
        long rows = data.count();
        report.line("training %s on %d rows x %d features (%s)", detector.getClass().getSimpleName(), rows,
                features.length, String.join(", ", features));
        long start = System.nanoTime();
        PipelineModel model;
        try (Progress progress = Progress.start(data.sparkSession().sparkContext(), System.err)) {
            model = new Pipeline().setStages(new PipelineStage[] {assembler, detector}).fit(data);
        } catch (IllegalArgumentException e) {
            throw unusableRows(data, features, (DetectorParams<?>) detector).orElse(e);
        }
        return reportFit(model, rows, features, start, report);
    }

    private static PipelineModel reportFit(PipelineModel model, long rows, String[] features, long start, Report report) {
        double seconds = (System.nanoTime() - start) / 1e9;
        ScoringModel detectorModel = (ScoringModel) ModelStore.detector(model);
        double threshold = detectorModel.getThreshold();
        report.line("fitted in %.1f s; threshold %.6g", seconds, threshold)
                .figure("rows", rows).figure("features", features).figure("fitSeconds", round(seconds))
                .figure("threshold", threshold);
        detectorModel.trainingSummary().ifPresent(s -> report
                .line("%d epochs (kept epoch %d), training loss %.4g%s", s.epochs(), s.bestEpoch(), s.loss(),
                        Double.isNaN(s.validationLoss()) ? "" : String.format(Locale.ROOT, ", validation loss %.4g", s.validationLoss()))
                .figure("epochs", s.epochs()).figure("bestEpoch", s.bestEpoch()));
        return model;
    }

    /**
     * When the fit failed on rows it cannot use (handleInvalid 'error'), the error in the user's terms: the
     * detector names its vector column, which the CLI assembled; this names the input's columns, the number
     * of such rows and the first one's values. Empty when the input has no such row (another failure).
     */
    private static Optional<RuntimeException> unusableRows(Dataset<Row> data, String[] features,
            DetectorParams<?> detector) {
        if (!DetectorParamSet.HANDLE_ERROR.equals(detector.getHandleInvalid())) {
            return Optional.empty();
        }
        Column unusable = functions.lit(false);
        for (String feature : features) {
            Column value = SchemaChecks.column(feature).cast("double");
            unusable = unusable.or(value.isNull()).or(functions.isnan(value))
                    .or(functions.abs(value).equalTo(Double.POSITIVE_INFINITY));
        }
        Dataset<Row> bad = data.where(unusable);
        List<Row> first = bad.select(Arrays.stream(features).map(SchemaChecks::column)
                .toArray(Column[]::new)).takeAsList(1);
        if (first.isEmpty()) {
            return Optional.empty();
        }
        long count = bad.count();
        List<String> cells = new ArrayList<>();
        for (int i = 0; i < features.length; i++) {
            cells.add(features[i] + "=" + (first.get(0).isNullAt(i) ? "(empty)" : first.get(0).get(i)));
        }
        return Optional.of(new UsageException(count + " row" + (count == 1 ? " has" : "s have")
                + " an empty, NaN or infinite value in the feature columns (" + String.join(", ", features)
                + "); the first: " + String.join(", ", cells) + "; fix the data, or pass --set handleInvalid=skip"
                + " to train without such rows"));
    }

    static double round(double seconds) {
        return Math.round(seconds * 1000) / 1000.0;
    }
}
