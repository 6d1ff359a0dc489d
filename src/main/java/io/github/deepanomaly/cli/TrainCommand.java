package io.github.deepanomaly.cli;

import io.github.deepanomaly.ConvAutoencoderParams;
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
                + " [--label-col C] [--features a,b,c] [--set param=value ...] [--input-format csv|parquet|image]"
                + " [--overwrite]"
                + "\n  train --detector lstm --input FILE.csv|DIR --model DIR [--time-col timestamp] [--value-cols value,...]"
                + " [--series-col id] [--set param=value ...] [--overwrite]";
    }

    @Override
    public String summary() {
        return "train a detector on every numeric column except the label (or on --features), or on a folder of images"
                + " (--input-format image), and save the model";
    }

    @Override
    public void run(SparkSession spark, List<String> words, Report report) throws Exception {
        Args args = Args.parse(name(), words, Set.of("input", "model", "detector", "label-col", "features",
                "input-format", "set", "time-col", "value-cols", "series-col"), Set.of("overwrite"));
        String modelPath = args.required("model");
        ModelStore.requireSavable(spark, modelPath, args.has("overwrite"));
        boolean images = "image".equals(args.get("input-format", null));
        Estimator<?> detector = Detectors.create(args.get("detector", images ? Detectors.CONV_AUTOENCODER : "autoencoder"));
        if (images && !Detectors.readsImages(detector)) {
            throw new UsageException("--detector " + args.get("detector", null) + " takes a table's numeric columns;"
                    + " for images use --detector " + Detectors.CONV_AUTOENCODER);
        }
        if (images && (args.has("features") || args.has("label-col"))) {
            throw new UsageException("--features and --label-col name a table's columns; images are trained on whole");
        }
        ParamSettings.apply(detector, args.settings());
        Dataset<Row> data = DataLoader.load(spark, args.required("input"), args.get("input-format", null)).cache();
        if (detector instanceof LstmParams<?> series) {
            PipelineModel model = fitSeries(data, series, args, report);
            ModelStore.save(spark, model, modelPath, args.has("overwrite"));
            report.line("model saved to %s", modelPath).figure("model", modelPath);
            data.unpersist();
            return;
        }
        PipelineModel model;
        if (images) {
            model = fitImages(data, detector, report);
        } else {
            String[] features = DataLoader.featureColumns(data, args.list("features"), args.get("label-col", null),
                    report::note);
            model = fit(data, features, detector, report);
        }
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
        report.figure("features", detector.getValueCols());
        return fitted(model, rows, start, report);
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
        report.figure("features", features);
        return fitted(model, rows, start, report);
    }

    /** Fits an image detector on the image column alone and reports images, image size, fit time and threshold. */
    static PipelineModel fitImages(Dataset<Row> images, Estimator<?> detector, Report report) {
        ((DetectorParams<?>) detector).setFeaturesCol(DataLoader.IMAGE_COL);
        long rows = images.count();
        report.line("training %s on %d files", detector.getClass().getSimpleName(), rows);
        long start = System.nanoTime();
        PipelineModel model;
        try (Progress progress = Progress.start(images.sparkSession().sparkContext(), System.err)) {
            model = new Pipeline().setStages(new PipelineStage[] {detector}).fit(images);
        }
        ConvAutoencoderParams<?> fitted = (ConvAutoencoderParams<?>) ModelStore.detector(model);
        report.line("images of %s", fitted.imageShape().describe())
                .figure("imageHeight", fitted.getImageHeight()).figure("imageWidth", fitted.getImageWidth())
                .figure("imageChannels", fitted.getImageChannels());
        return fitted(model, rows, start, report);
    }

    private static PipelineModel fitted(PipelineModel model, long rows, long start, Report report) {
        double seconds = (System.nanoTime() - start) / 1e9;
        ScoringModel detectorModel = (ScoringModel) ModelStore.detector(model);
        double threshold = detectorModel.getThreshold();
        report.line("fitted in %.1f s; threshold %.6g", seconds, threshold)
                .figure("rows", rows).figure("fitSeconds", round(seconds))
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
