package io.github.deepanomaly.bench;

import io.github.deepanomaly.AnomalyEvaluator;
import io.github.deepanomaly.cli.Args;
import io.github.deepanomaly.cli.Detectors;
import io.github.deepanomaly.cli.Report;
import io.github.deepanomaly.cli.UsageException;
import io.github.deepanomaly.core.ScoringModel;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.ml.Model;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;

/**
 * Detection quality on labelled tables: every detector with default params, and the reference Isolation
 * Forest, on every CSV of a directory. ADBench's unsupervised protocol by default (fit on all rows, the
 * labels unseen, score all rows); with {@code --split p}, fit on a seeded random share p of the rows and
 * score the rest. {@code --seed N} seeds the split and, when given, every detector (default: their own seeds);
 * {@code --split-seed N} seeds the split alone, so that runs with several seeds and one split tell the
 * detectors' own spread from the split's.
 * With {@code --mnist DIR} instead of {@code --data}, the tables are built from MNIST's IDX files in DIR the way
 * ODDS built its mnist and optdigits sets ({@link MnistTables}): tables no default was chosen on.
 */
final class QualitySuite implements Suite {
    static final String LABEL = "label";
    static final long DEFAULT_SEED = 42;

    @Override
    public String name() {
        return "quality";
    }

    @Override
    public String usage() {
        return "--data DIR | --mnist DIR [--detectors " + String.join(",", Detectors.names()) + "] [--split 0.6]"
                + " [--exclude http,...] [--seed N] [--split-seed N] [--set param=value ...]";
    }

    @Override
    public Set<String> options() {
        return Set.of("data", "mnist", "detectors", "split", "split-seed", "exclude", "seed", "set");
    }

    @Override
    public void run(SparkSession spark, Args args, Table table, Report report) throws IOException {
        List<Contender> contenders = new ArrayList<>();
        // by default every detector of tables: image and series detectors have suites of their own (images, timeseries)
        List<String> names = args.list("detectors").isEmpty()
                ? Detectors.names().stream().filter(n -> Detectors.readsTables(Detectors.create(n))).toList()
                : args.list("detectors");
        for (String name : names) {
            if (name.equals(Contender.IFOREST)) {
                continue; // always there, as the reference
            }
            contenders.add(Contender.ours(name, args.settings()));
        }
        contenders.add(Contender.isolationForest());
        Double split = split(args);
        long seed = BenchmarkCommand.positiveLong(args, "seed", DEFAULT_SEED);
        // a seed given seeds the detectors too, so that runs with several seeds measure their spread
        boolean seedDetectors = args.has("seed");
        long splitSeed = BenchmarkCommand.positiveLong(args, "split-seed", seed);
        List<Source> sources = sources(spark, args);
        WarmUp.once(spark, report);

        table.columns(Table.Column.text("dataset"), Table.Column.text("detector"), new Table.Column("rows", "%d"),
                new Table.Column("dims", "%d"), new Table.Column("fitRows", "%d"), new Table.Column("scoredRows", "%d"),
                new Table.Column("aucRoc", "%.4f"), new Table.Column("aucPr", "%.4f"),
                new Table.Column("fitSeconds", "%.2f"), new Table.Column("scoreRowsPerSec", "%.0f"));
        Map<String, Object> datasets = new LinkedHashMap<>();
        Map<String, double[]> sums = new LinkedHashMap<>();
        for (Contender c : contenders) {
            sums.put(c.name(), new double[2]);
        }
        for (Source source : sources) {
            String name = source.name();
            BenchTable data = source.table().get();
            Parts parts = Parts.of(data, split, splitSeed);
            Dataset<Row> fitRows = parts.fitRows();
            Dataset<Row> scoredRows = parts.scoredRows();
            long fitCount = fitRows.count();
            long scoredCount = scoredRows.count();
            Map<String, Object> perDataset = new LinkedHashMap<>();
            perDataset.put("rows", data.rows());
            perDataset.put("dims", data.dims());
            // what the fitted rows take cached as a DataFrame, beside what a detector's minibatches take
            perDataset.put("dataFrameMegabytes", Measure.round(ScalingSuite.cachedBytes(spark) / 1e6));
            for (Contender c : contenders) {
                long start = System.nanoTime();
                Model<?> model = seedDetectors ? c.fit(fitRows, fitCount, seed) : c.fit(fitRows, fitCount);
                double fitSeconds = Measure.secondsSince(start);
                Dataset<Row> scores = model.transform(scoredRows)
                        .select(functions.col(LABEL), functions.col(c.scoreCol())).cache();
                start = System.nanoTime();
                long scored = scores.count();
                double scoreSeconds = Measure.secondsSince(start);
                AnomalyEvaluator.Metrics metrics = new AnomalyEvaluator().setLabelCol(LABEL).setScoreCol(c.scoreCol())
                        .evaluateAll(scores);
                scores.unpersist();
                double rowsPerSecond = scored / scoreSeconds;
                table.row(name, c.name(), data.rows(), data.dims(), fitCount, scored, metrics.areaUnderROC(),
                        metrics.areaUnderPR(), fitSeconds, rowsPerSecond);
                Map<String, Object> figures = Measure.figures("aucRoc", Measure.round(metrics.areaUnderROC()),
                        "aucPr", Measure.round(metrics.areaUnderPR()), "fitSeconds", Measure.round(fitSeconds),
                        "scoreRowsPerSecond", Measure.round(rowsPerSecond));
                if (model instanceof ScoringModel ours) {
                    ours.trainingSummary().ifPresent(t -> {
                        figures.put("epochs", t.epochs());
                        figures.put("cachedMegabytes", Measure.round(t.cachedBytes() / 1e6));
                    });
                }
                perDataset.put(c.name(), figures);
                sums.get(c.name())[0] += metrics.areaUnderROC();
                sums.get(c.name())[1] += metrics.areaUnderPR();
            }
            datasets.put(name, perDataset);
            parts.release();
            data.release();
        }
        Map<String, Object> meanAucRoc = new LinkedHashMap<>();
        Map<String, Object> meanAucPr = new LinkedHashMap<>();
        sums.forEach((detector, sum) -> {
            meanAucRoc.put(detector, Measure.round(sum[0] / sources.size()));
            meanAucPr.put(detector, Measure.round(sum[1] / sources.size()));
        });
        report.line("mean AUC-ROC over %d data sets: %s", sources.size(), meanAucRoc)
                .line("mean AUC-PR  over %d data sets: %s", sources.size(), meanAucPr);
        report.figure("protocol", split == null ? "fit all, score all" : "fit on a random " + split + ", score the rest")
                .figure("split", split).figure("seed", seed).figure("splitSeed", split == null ? null : splitSeed)
                .figure("datasets", datasets).figure("meanAucRoc", meanAucRoc).figure("meanAucPr", meanAucPr);
    }

    /** The rows a table's detectors fit on and those they score: all of them both, or a seeded split, cached. */
    record Parts(Dataset<Row> fitRows, Dataset<Row> scoredRows, boolean cached) {
        /** @param split the share to fit on, or null for all rows */
        static Parts of(BenchTable data, Double split, long splitSeed) {
            if (split == null) {
                return new Parts(data.frame(), data.frame(), false);
            }
            Dataset<Row>[] parts = data.frame().randomSplit(new double[] {split, 1 - split}, splitSeed);
            return new Parts(parts[0].cache(), parts[1].cache(), true);
        }

        void release() {
            if (cached) {
                fitRows.unpersist();
                scoredRows.unpersist();
            }
        }
    }

    /** A labelled table, loaded when its turn comes (one cached at a time). */
    record Source(String name, Supplier<BenchTable> table) {
    }

    static List<Source> sources(SparkSession spark, Args args) throws IOException {
        if (args.has("data") == args.has("mnist")) {
            throw new UsageException("Give the tables with --data DIR (labelled CSV files) or --mnist DIR (MNIST's IDX"
                    + " files, made into tables), one of the two");
        }
        List<String> exclude = args.list("exclude");
        List<Source> sources = new ArrayList<>();
        if (args.has("mnist")) {
            String dir = args.get("mnist", null);
            for (MnistTables.Table t : MnistTables.of(MnistIdx.read(java.nio.file.Path.of(dir), "--mnist"))) {
                if (!exclude.contains(t.name())) {
                    sources.add(new Source(t.name(), () -> t.toBench(spark)));
                }
            }
            if (sources.isEmpty()) {
                throw new UsageException("--mnist " + dir + ": no table could be made from these"
                        + " images (each needs its two digits)" + (exclude.isEmpty() ? "" : " besides the excluded ones"));
            }
            return sources;
        }
        for (Path file : labelledFiles(spark, args.required("data"), exclude)) {
            String name = file.getName().replaceFirst("(?i)\\.csv$", "");
            sources.add(new Source(name, () -> {
                BenchTable data = BenchTable.load(spark, name, file.toString(), LABEL);
                if (data.labelCol() == null) {
                    throw new UsageException(file + " has no '" + LABEL + "' column; the quality suite needs labelled"
                            + " tables (header f0,...,f{d-1},label)");
                }
                return data;
            }));
        }
        return sources;
    }

    /** The share of {@code --split}, or null without it; {@code --split-seed} needs it. */
    static Double split(Args args) {
        if (args.has("split-seed") && !args.has("split")) {
            throw new UsageException("--split-seed seeds the split of --split; give --split 0.6 (say) or leave it out");
        }
        return args.has("split") ? parseSplit(args.get("split", null)) : null;
    }

    private static double parseSplit(String value) {
        try {
            double split = Double.parseDouble(value);
            if (split > 0 && split < 1) {
                return split;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new UsageException("--split takes the share of rows to fit on, strictly between 0 and 1, got '" + value + "'");
    }

    /** The *.csv files of {@code dir}, sorted by name, without the excluded names (with or without .csv). */
    private static List<Path> labelledFiles(SparkSession spark, String dir, List<String> exclude) throws IOException {
        Path path = new Path(dir);
        FileSystem fs = path.getFileSystem(spark.sparkContext().hadoopConfiguration());
        if (!fs.isDirectory(path)) {
            throw new UsageException("--data " + dir + " is not a directory");
        }
        List<Path> files = new ArrayList<>();
        FileStatus[] statuses = fs.listStatus(path);
        Arrays.sort(statuses);
        for (FileStatus status : statuses) {
            String name = status.getPath().getName();
            String base = name.replaceFirst("(?i)\\.csv$", "");
            if (status.isFile() && !base.equals(name) && !exclude.contains(base) && !exclude.contains(name)) {
                files.add(status.getPath());
            }
        }
        if (files.isEmpty()) {
            throw new UsageException("No .csv files in " + dir + (exclude.isEmpty() ? "" : " besides the excluded ones"));
        }
        return files;
    }
}
