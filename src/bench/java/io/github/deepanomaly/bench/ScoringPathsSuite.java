package io.github.deepanomaly.bench;

import io.github.deepanomaly.AutoencoderDetector;
import io.github.deepanomaly.AutoencoderDetectorModel;
import io.github.deepanomaly.cli.Args;
import io.github.deepanomaly.cli.ParamSettings;
import io.github.deepanomaly.cli.Report;
import io.github.deepanomaly.score.BatchScorer;
import io.github.deepanomaly.score.DenseForwardPass;
import io.github.deepanomaly.score.ReconstructionScore;
import io.github.deepanomaly.score.RowScorer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Where scoring row by row in column expressions ({@link RowScorer}) stops beating batches of DL4J calls
 * ({@link BatchScorer}): both score the same cached synthetic table with the same network, for growing
 * numbers of features (default layers, so multiply-adds per row grow with the square of the width). The
 * model uses the first up to {@link RowScorer#MAX_MULTIPLY_ADDS}; this suite is where that figure comes from.
 */
final class ScoringPathsSuite implements Suite {
    static final String DEFAULT_DIMS = "3,10,20,30,40,60,80,160";
    static final long DEFAULT_ROWS = 200_000;

    @Override
    public String name() {
        return "paths";
    }

    @Override
    public String usage() {
        return "[--dims " + DEFAULT_DIMS + "] [--rows " + DEFAULT_ROWS + "] [--repeats "
                + ThroughputSuite.DEFAULT_REPEATS + "] [--seed N] [--set name=value]...";
    }

    @Override
    public Set<String> options() {
        return Set.of("dims", "rows", "repeats", "seed", "set");
    }

    @Override
    public void run(SparkSession spark, Args args, Table table, Report report) {
        List<Long> widths = BenchmarkCommand.positiveLongs(
                args.has("dims") ? args.list("dims") : List.of(DEFAULT_DIMS.split(",")), "dims");
        long rows = BenchmarkCommand.positiveLong(args, "rows", DEFAULT_ROWS);
        int repeats = BenchmarkCommand.positiveInt(args, "repeats", ThroughputSuite.DEFAULT_REPEATS);
        long seed = BenchmarkCommand.positiveLong(args, "seed", QualitySuite.DEFAULT_SEED);
        // one epoch: the weights' values do not change the cost of a forward pass; --set comes last and so has
        // the last word (plainNetwork=false: one network), and a bad one fails before the warm-up
        AutoencoderDetector detector = new AutoencoderDetector().setFeaturesCol(Contender.FEATURES).setMaxIter(1)
                .setSeed(seed);
        ParamSettings.apply(detector, args.settings());
        WarmUp.once(spark, report);
        table.columns(Table.Column.text("scorer"), Table.Column.text("run"), new Table.Column("seconds", "%.3f"),
                new Table.Column("rowsPerSec", "%.0f"));
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        List<Map<String, Object>> results = new ArrayList<>();
        for (long width : widths) {
            int dims = (int) Math.min(width, Integer.MAX_VALUE);
            Dataset<Row> data = SyntheticTable.lowRank(spark, rows, dims, seed).cache();
            data.count();
            AutoencoderDetectorModel model = detector.fit(data);
            DenseForwardPass pass = DenseForwardPass.of(model.network());
            ReconstructionScore score = model.reconstructionScore();
            RowScorer rowScorer = new RowScorer(score.rowScore(), model.featureStandardization(), Contender.FEATURES,
                    "error");
            BatchScorer batchScorer = score.batchScorer(sc, model.featureStandardization(), 0, Contender.FEATURES,
                    "error", null);
            double rowwise = ThroughputSuite.rowsPerSecond(table, "row-by-row " + dims, rows, repeats,
                    () -> Measure.sumOfScores(rowScorer.append(data, "score", null, ""), "score"));
            double batched = ThroughputSuite.rowsPerSecond(table, "batched " + dims, rows, repeats,
                    () -> Measure.sumOfScores(data.mapPartitions(batchScorer,
                            Encoders.row(BatchScorer.outputSchema(data.schema(), "score", ""))), "score"));
            data.unpersist();
            int networks = model.networks().size();
            report.line("%d features, %d network(s) of %d multiply-adds per row: row by row %.0f rows/s, batched %.0f rows/s, ratio %.2f",
                    dims, networks, pass.multiplyAddsPerRow(), rowwise, batched, rowwise / batched);
            results.add(Measure.figures("dims", dims, "networks", networks, "multiplyAdds", pass.multiplyAddsPerRow(),
                    "rowByRowRowsPerSecond", Measure.round(rowwise), "batchedRowsPerSecond", Measure.round(batched),
                    "ratio", Measure.round(Measure.ratio(rowwise, batched))));
        }
        report.figure("rows", rows).figure("rowByRowLimit", RowScorer.MAX_MULTIPLY_ADDS).figure("widths", results);
    }
}
