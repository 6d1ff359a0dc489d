package io.github.deepanomaly.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.deepanomaly.AutoencoderDetectorModel;
import io.github.deepanomaly.cli.Args;
import io.github.deepanomaly.cli.Report;
import io.github.deepanomaly.cli.UsageException;
import io.github.deepanomaly.score.ErrorScales;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/**
 * The autoencoder's trained networks and the rows they were trained and scored on, one JSON file per table, for
 * analysis outside the JVM: a candidate score computed from them changes only the score, not the training, so it
 * is compared with the defaults without training noise (how issue #14's error limit was found, docs/benchmarks.md
 * "Session 15"). The same tables, split and seeds as the quality suite.
 *
 * <p>Each file {@code <table>_<all|split>_s<seed>.json}: {@code mean} and {@code scale} (the standardization),
 * {@code x} (every row's raw features), {@code label}, {@code fit} (1 for the rows fitted on), {@code score} (the
 * model's anomaly score), and per network {@code weights} and {@code limits} (null when there are none) and its
 * {@code layers}, each with {@code activation}, {@code in}, {@code out}, {@code W} (in × out, row-major) and {@code b}.
 */
final class ExportSuite implements Suite {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public String name() {
        return "export";
    }

    @Override
    public String usage() {
        return "--data DIR | --mnist DIR --out DIR [--split 0.6] [--seed N] [--split-seed N] [--exclude name,...]"
                + " [--set param=value ...]";
    }

    @Override
    public Set<String> options() {
        return Set.of("data", "mnist", "out", "split", "split-seed", "seed", "exclude", "set");
    }

    @Override
    public void run(SparkSession spark, Args args, Table table, Report report) throws IOException {
        Path out = Path.of(args.required("out"));
        if (Files.exists(out) && !Files.isDirectory(out)) {
            throw new UsageException("--out " + out + " is a file; give a directory to write the JSON files to");
        }
        Double split = QualitySuite.split(args);
        long seed = BenchmarkCommand.positiveLong(args, "seed", QualitySuite.DEFAULT_SEED);
        long splitSeed = BenchmarkCommand.positiveLong(args, "split-seed", seed);
        Contender autoencoder = Contender.ours("autoencoder", args.settings());
        List<QualitySuite.Source> sources = QualitySuite.sources(spark, args);
        Files.createDirectories(out);
        table.columns(Table.Column.text("dataset"), new Table.Column("rows", "%d"), new Table.Column("fitRows", "%d"),
                new Table.Column("networks", "%d"), Table.Column.text("file"));
        List<String> files = new ArrayList<>();
        for (QualitySuite.Source source : sources) {
            BenchTable data = source.table().get();
            Dataset<Row> rows = data.frame().withColumn("rowId", functions.monotonically_increasing_id()).cache();
            Dataset<Row> fitRows = split == null ? rows
                    : rows.randomSplit(new double[] {split, 1 - split}, splitSeed)[0].cache();
            long fitCount = fitRows.count();
            AutoencoderDetectorModel model = (AutoencoderDetectorModel) autoencoder.fit(fitRows, fitCount, seed);
            Set<Long> fitted = new HashSet<>();
            fitRows.select("rowId").collectAsList().forEach(r -> fitted.add(r.getLong(0)));
            List<Row> scored = model.transform(rows)
                    .select(Contender.FEATURES, QualitySuite.LABEL, "rowId", model.getScoreCol()).collectAsList();
            Path file = out.resolve(source.name() + (split == null ? "_all" : "_split") + "_s" + seed + ".json");
            List<MultiLayerNetwork> networks = model.networks(); // copies: taken once
            JSON.writeValue(file.toFile(), export(model, networks, scored, fitted));
            table.row(source.name(), scored.size(), fitCount, networks.size(), file.toString());
            files.add(file.toString());
            if (split != null) {
                fitRows.unpersist();
            }
            rows.unpersist();
            data.release();
        }
        report.figure("out", out.toString()).figure("seed", seed).figure("split", split)
                .figure("splitSeed", split == null ? null : splitSeed).figure("files", files);
    }

    private static Map<String, Object> export(AutoencoderDetectorModel model, List<MultiLayerNetwork> networks,
            List<Row> rows, Set<Long> fitted) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("mean", model.featureStandardization().mean());
        json.put("scale", model.featureStandardization().scale());
        json.put("x", rows.stream().map(r -> ((Vector) r.get(0)).toArray()).toList());
        json.put("label", rows.stream().map(r -> ((Number) r.get(1)).doubleValue()).toList());
        json.put("fit", rows.stream().map(r -> fitted.contains(r.getLong(2)) ? 1 : 0).toList());
        json.put("score", rows.stream().map(r -> r.getDouble(3)).toList());
        List<ErrorScales> scales = model.errorScalesPerNetwork();
        List<Map<String, Object>> exported = new ArrayList<>();
        for (int k = 0; k < networks.size(); k++) {
            Map<String, Object> network = new LinkedHashMap<>();
            network.put("weights", scales.isEmpty() ? null : scales.get(k).weights());
            network.put("limits", scales.isEmpty() ? null : scales.get(k).limits());
            network.put("passes", model.reconstructionPasses().of(k));
            List<Map<String, Object>> layers = new ArrayList<>();
            for (Layer layer : networks.get(k).getLayers()) {
                Map<String, Object> l = new LinkedHashMap<>();
                l.put("activation", ((FeedForwardLayer) layer.conf().getLayer()).getActivationFn().toString());
                l.put("in", layer.getParam("W").size(0));
                l.put("out", layer.getParam("W").size(1));
                l.put("W", layer.getParam("W").dup('c').data().asFloat());
                l.put("b", layer.getParam("b").dup().data().asFloat());
                layers.add(l);
            }
            network.put("layers", layers);
            exported.add(network);
        }
        json.put("networks", exported);
        return json;
    }
}
