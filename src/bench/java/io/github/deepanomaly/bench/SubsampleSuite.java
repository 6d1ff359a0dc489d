package io.github.deepanomaly.bench;

import io.github.deepanomaly.AnomalyEvaluator;
import io.github.deepanomaly.cli.Args;
import io.github.deepanomaly.cli.Report;
import io.github.deepanomaly.core.AnomalyDetectorModel;
import io.github.deepanomaly.score.ScoreDistribution;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Isolation Forest's trick tried on the autoencoder: an ensemble of {@code --members} autoencoders (the defaults'
 * pair each), every one fitted on its own random {@code --sample-rows} of the fitted rows, against one fitted on
 * them all. The forest finds a clustered anomaly in sub-samples where it is a handful of rows; this measures whether
 * the networks do too (docs/benchmarks.md, "Session 21"). The same tables, split and seeds as the quality suite.
 *
 * <p>Per table, AUC-ROC of: {@code pair} (one autoencoder on all fitted rows, as the quality suite), {@code member}
 * (the first member alone), {@code members} (the mean of the members' scores, each divided by its median training
 * score, as the pair's two networks are combined) and {@code pairAndMembers} (the pair's score so divided, plus the
 * members' mean).
 */
final class SubsampleSuite implements Suite {
    static final int DEFAULT_MEMBERS = 10;
    /** Isolation Forest's sub-sample. */
    static final int DEFAULT_SAMPLE_ROWS = 256;
    private static final String[] COMBINATIONS = {"pair", "member", "members", "pairAndMembers"};

    @Override
    public String name() {
        return "subsamples";
    }

    @Override
    public String usage() {
        return "--data DIR | --mnist DIR [--members 10] [--sample-rows 256] [--split 0.6] [--seed N] [--split-seed N]"
                + " [--exclude name,...] [--set param=value ...]";
    }

    @Override
    public Set<String> options() {
        return Set.of("data", "mnist", "members", "sample-rows", "split", "split-seed", "seed", "exclude", "set");
    }

    @Override
    public void run(SparkSession spark, Args args, Table table, Report report) throws IOException {
        int members = BenchmarkCommand.positiveInt(args, "members", DEFAULT_MEMBERS);
        int sampleRows = BenchmarkCommand.positiveInt(args, "sample-rows", DEFAULT_SAMPLE_ROWS);
        Double split = QualitySuite.split(args);
        long seed = BenchmarkCommand.positiveLong(args, "seed", QualitySuite.DEFAULT_SEED);
        long splitSeed = BenchmarkCommand.positiveLong(args, "split-seed", seed);
        Contender autoencoder = Contender.ours("autoencoder", args.settings());
        List<QualitySuite.Source> sources = QualitySuite.sources(spark, args);
        WarmUp.once(spark, report);

        table.columns(Table.Column.text("dataset"), new Table.Column("fitRows", "%d"),
                new Table.Column("sampleRows", "%d"), new Table.Column("pair", "%.4f"),
                new Table.Column("member", "%.4f"), new Table.Column("members", "%.4f"),
                new Table.Column("pairAndMembers", "%.4f"), new Table.Column("pairFitSeconds", "%.2f"),
                new Table.Column("membersFitSeconds", "%.2f"));
        Map<String, Object> datasets = new LinkedHashMap<>();
        double[] sums = new double[COMBINATIONS.length];
        for (QualitySuite.Source source : sources) {
            BenchTable data = source.table().get();
            QualitySuite.Parts parts = QualitySuite.Parts.of(data, split, splitSeed);
            Dataset<Row> fitRows = parts.fitRows();
            Dataset<Row> scoredRows = parts.scoredRows();
            long fitCount = fitRows.count();
            long memberRows = Math.min(sampleRows, fitCount);
            double fraction = (double) memberRows / fitCount;

            long start = System.nanoTime();
            AnomalyDetectorModel<?> pair = (AnomalyDetectorModel<?>) autoencoder.fit(fitRows, fitCount, seed);
            double pairSeconds = Measure.secondsSince(start);
            start = System.nanoTime();
            List<AnomalyDetectorModel<?>> fitted = new ArrayList<>();
            for (int k = 0; k < members; k++) {
                Dataset<Row> sample = fraction >= 1 ? fitRows : fitRows.sample(false, fraction, seed * 1000 + k);
                fitted.add((AnomalyDetectorModel<?>) autoencoder.fit(sample, memberRows, seed * 31 + k));
            }
            double membersSeconds = Measure.secondsSince(start);

            double[] auc = aucs(spark, scoredRows, pair, fitted);
            table.row(source.name(), fitCount, memberRows, auc[0], auc[1], auc[2], auc[3],
                    pairSeconds, membersSeconds);
            Map<String, Object> figures = new LinkedHashMap<>();
            for (int c = 0; c < COMBINATIONS.length; c++) {
                figures.put(COMBINATIONS[c], Measure.round(auc[c]));
                sums[c] += auc[c];
            }
            figures.put("pairFitSeconds", Measure.round(pairSeconds));
            figures.put("membersFitSeconds", Measure.round(membersSeconds));
            datasets.put(source.name(), figures);
            parts.release();
            data.release();
        }
        Map<String, Object> means = new LinkedHashMap<>();
        for (int c = 0; c < COMBINATIONS.length; c++) {
            means.put(COMBINATIONS[c], Measure.round(sums[c] / sources.size()));
        }
        report.line("mean AUC-ROC over %d data sets: %s", sources.size(), means);
        report.figure("protocol", split == null ? "fit all, score all" : "fit on a random " + split + ", score the rest")
                .figure("members", members).figure("sampleRows", sampleRows).figure("seed", seed)
                .figure("splitSeed", split == null ? null : splitSeed).figure("datasets", datasets)
                .figure("meanAucRoc", means);
    }

    /**
     * The AUC-ROC of each combination: every model scores the rows in one pass (each into a column of its own), the
     * scores are combined on the driver (a benchmark's tables fit there) and evaluated as the quality suite does.
     */
    private static double[] aucs(SparkSession spark, Dataset<Row> scoredRows, AnomalyDetectorModel<?> pair,
            List<AnomalyDetectorModel<?>> members) {
        List<AnomalyDetectorModel<?>> models = new ArrayList<>(List.of(pair));
        models.addAll(members);
        Dataset<Row> scored = scoredRows;
        for (int k = 0; k < models.size(); k++) {
            // the bench's own models: their output columns renamed in place, so that all of them score one pass
            scored = models.get(k).setScoreCol("score" + k)
                    .setPredictionCol("prediction" + k).transform(scored);
        }
        List<Row> rows = scored.select(scoreColumns(models.size())).collectAsList();
        double[] typical = models.stream().mapToDouble(SubsampleSuite::medianTrainingScore).toArray();
        List<List<Row>> combined = new ArrayList<>();
        for (int c = 0; c < COMBINATIONS.length; c++) {
            combined.add(new ArrayList<>(rows.size()));
        }
        for (Row row : rows) {
            double label = ((Number) row.get(0)).doubleValue();
            double pairScore = row.getDouble(1) / typical[0];
            double mean = 0;
            for (int k = 1; k < models.size(); k++) {
                mean += row.getDouble(k + 1) / typical[k];
            }
            mean /= members.size();
            double[] scores = {pairScore, row.getDouble(2) / typical[1], mean, pairScore + mean};
            for (int c = 0; c < COMBINATIONS.length; c++) {
                combined.get(c).add(RowFactory.create(label, scores[c]));
            }
        }
        StructType schema = new StructType().add(QualitySuite.LABEL, DataTypes.DoubleType)
                .add("score", DataTypes.DoubleType);
        double[] auc = new double[COMBINATIONS.length];
        for (int c = 0; c < COMBINATIONS.length; c++) {
            auc[c] = new AnomalyEvaluator().setLabelCol(QualitySuite.LABEL).setScoreCol("score")
                    .evaluateAll(spark.createDataFrame(combined.get(c), schema)).areaUnderROC();
        }
        return auc;
    }

    private static Column[] scoreColumns(int models) {
        Column[] columns = new Column[models + 1];
        columns[0] = functions.col(QualitySuite.LABEL);
        for (int k = 0; k < models; k++) {
            columns[k + 1] = functions.col("score" + k);
        }
        return columns;
    }

    /** The median of the model's training scores, which its score is divided by before scores are added. */
    private static double medianTrainingScore(AnomalyDetectorModel<?> model) {
        ScoreDistribution distribution = model.trainingScoreDistribution().orElseThrow();
        return Math.max(distribution.quantiles()[(ScoreDistribution.SKETCH_SIZE - 1) / 2], Double.MIN_NORMAL);
    }
}
