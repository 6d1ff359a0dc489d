package io.github.deepanomaly.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import org.apache.spark.ml.Estimator;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/** Trains and evaluates a detector (the autoencoder by default) on the labelled sample shipped in the jar: the first thing to run. */
public final class DemoCommand implements Command {
    static final String SAMPLE = "/io/github/deepanomaly/demo/thyroid.csv";
    /** Isolation Forest on the same sample (shared/data/README.md), for comparison; DemoReferenceTest refits it. */
    static final double IFOREST_AUC_ROC = 0.975;
    static final double IFOREST_AUC_PR = 0.501;

    @Override
    public String name() {
        return "demo";
    }

    @Override
    public String usage() {
        return "demo [--detector " + String.join("|", Detectors.names()) + "] [--model DIR] [--set param=value ...]";
    }

    @Override
    public String summary() {
        return "train and evaluate a detector (the autoencoder unless --detector) on a small labelled sample shipped with the project (thyroid, ADBench)";
    }

    @Override
    public void run(SparkSession spark, List<String> words, Report report) throws Exception {
        Args args = Args.parse(name(), words, Set.of("detector", "model", "set"), Set.of());
        String name = args.get("detector", "autoencoder");
        Estimator<?> detector = Detectors.create(name);
        if (!Detectors.readsTables(detector)) {
            throw new UsageException("demo trains on a table (thyroid) and " + name + " does not read tables; try "
                    + "--detector " + String.join(" or ", Detectors.names().stream()
                            .filter(n -> Detectors.readsTables(Detectors.create(n))).toList()));
        }
        report.line("demo: thyroid (ADBench; 3772 rows, 6 features, 93 labelled anomalies)");
        Dataset<Row> data = sample(spark).cache();
        ParamSettings.apply(detector, args.settings());
        String[] features = DataLoader.featureColumns(data, List.of(), "label", report::note);
        PipelineModel model = TrainCommand.fit(data, features, detector, report);
        if (args.has("model")) {
            ModelStore.save(spark, model, args.get("model", null), true);
            report.line("model saved to %s", args.get("model", null));
        }
        EvaluateCommand.evaluate(model, data, "label", report);
        report.line("Isolation Forest (reference): AUC-ROC %.3f, AUC-PR %.3f", IFOREST_AUC_ROC, IFOREST_AUC_PR)
                .figure("iforestAucRoc", IFOREST_AUC_ROC).figure("iforestAucPr", IFOREST_AUC_PR);
        data.unpersist();
    }

    /**
     * The sample, parsed by Spark from lines read on the driver: a file written there would be out of the
     * executors' reach on a cluster of several machines.
     */
    static Dataset<Row> sample(SparkSession spark) throws IOException {
        List<String> lines;
        try (InputStream in = DemoCommand.class.getResourceAsStream(SAMPLE)) {
            lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        }
        return spark.read().option("header", "true").option("inferSchema", "true")
                .csv(spark.createDataset(lines, Encoders.STRING()));
    }
}
