package io.github.deepanomaly.cli;

import io.github.deepanomaly.core.DetectorParams;
import io.github.deepanomaly.core.ScoringModel;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.apache.spark.ml.Estimator;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/** Fits VectorAssembler + detector on a table and saves the PipelineModel. */
public final class TrainCommand implements Command {
    @Override
    public String name() {
        return "train";
    }

    @Override
    public String usage() {
        return "train --input FILE.csv|DIR --model DIR [--detector autoencoder] [--label-col C] [--features a,b,c]"
                + " [--set param=value ...] [--input-format csv|parquet] [--overwrite]";
    }

    @Override
    public String summary() {
        return "train a detector on every numeric column except the label (or on --features) and save the model";
    }

    @Override
    public void run(SparkSession spark, List<String> words, Report report) throws Exception {
        Args args = Args.parse(name(), words, Set.of("input", "model", "detector", "label-col", "features",
                "input-format", "set"), Set.of("overwrite"));
        String modelPath = args.required("model");
        ModelStore.requireSavable(spark, modelPath, args.has("overwrite"));
        Estimator<?> detector = Detectors.create(args.get("detector", "autoencoder"));
        ParamSettings.apply(detector, args.settings());
        Dataset<Row> data = DataLoader.load(spark, args.required("input"), args.get("input-format", null)).cache();
        String[] features = DataLoader.featureColumns(data, args.list("features"), args.get("label-col", null),
                report::note);
        PipelineModel model = fit(data, features, detector, report);
        ModelStore.save(spark, model, modelPath, args.has("overwrite"));
        report.line("model saved to %s", modelPath).figure("model", modelPath);
        data.unpersist();
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
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        double threshold = ((ScoringModel) ModelStore.detector(model)).getThreshold();
        report.line("fitted in %.1f s; threshold %.6g", seconds, threshold)
                .figure("rows", rows).figure("features", features).figure("fitSeconds", round(seconds))
                .figure("threshold", threshold);
        return model;
    }

    static double round(double seconds) {
        return Math.round(seconds * 1000) / 1000.0;
    }
}
