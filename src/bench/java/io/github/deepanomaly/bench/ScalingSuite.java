package io.github.deepanomaly.bench;

import io.github.deepanomaly.AutoencoderDetectorModel;
import io.github.deepanomaly.cli.Args;
import io.github.deepanomaly.cli.Report;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.RDDInfo;

/**
 * How fit and score times grow with the rows: the default autoencoder on synthetic tables of growing
 * size (cached before the timings), fit, then score every row (forced by summing the scores). The growth
 * exponent is the log-log slope between the two largest sizes: 1 is linear.
 */
final class ScalingSuite implements Suite {
    static final String DEFAULT_SIZES = "10000,100000,1000000";
    static final int DEFAULT_DIMS = 10;

    @Override
    public String name() {
        return "scaling";
    }

    @Override
    public String usage() {
        return "[--sizes " + DEFAULT_SIZES + "] [--dims " + DEFAULT_DIMS + "] [--seed N]";
    }

    @Override
    public Set<String> options() {
        return Set.of("sizes", "dims", "seed");
    }

    @Override
    public void run(SparkSession spark, Args args, Table table, Report report) {
        List<Long> sizes = BenchmarkCommand.positiveLongs(
                args.has("sizes") ? args.list("sizes") : List.of(DEFAULT_SIZES.split(",")), "sizes")
                .stream().distinct().sorted().toList();
        int dims = BenchmarkCommand.positiveInt(args, "dims", DEFAULT_DIMS);
        long seed = BenchmarkCommand.positiveLong(args, "seed", QualitySuite.DEFAULT_SEED);
        WarmUp.once(spark, report);
        table.columns(new Table.Column("rows", "%d"), new Table.Column("dims", "%d"),
                new Table.Column("fitSeconds", "%.2f"), new Table.Column("scoreSeconds", "%.2f"),
                new Table.Column("fitRowsPerSec", "%.0f"), new Table.Column("scoreRowsPerSec", "%.0f"));
        Contender ours = Contender.ours("autoencoder");
        List<Double> fitSeconds = new ArrayList<>();
        List<Double> scoreSeconds = new ArrayList<>();
        List<Double> cachedMegabytes = new ArrayList<>();
        List<Double> dataFrameMegabytes = new ArrayList<>();
        for (long size : sizes) {
            Dataset<Row> data = SyntheticTable.lowRank(spark, size, dims, seed).cache();
            data.count();
            dataFrameMegabytes.add(Measure.round(cachedBytes(spark) / 1e6));
            long start = System.nanoTime();
            AutoencoderDetectorModel model = (AutoencoderDetectorModel) ours.fit(data, size);
            double fit = Measure.secondsSince(start);
            cachedMegabytes.add(Measure.round(model.trainingSummary().orElseThrow().cachedBytes() / 1e6));
            start = System.nanoTime();
            Measure.sumOfScores(model.transform(data), ours.scoreCol());
            double score = Measure.secondsSince(start);
            data.unpersist();
            table.row(size, dims, fit, score, size / fit, size / score);
            fitSeconds.add(fit);
            scoreSeconds.add(score);
        }
        int n = sizes.size();
        double fitExponent = n < 2 ? Double.NaN
                : Measure.growthExponent(sizes.get(n - 2), fitSeconds.get(n - 2), sizes.get(n - 1), fitSeconds.get(n - 1));
        double scoreExponent = n < 2 ? Double.NaN
                : Measure.growthExponent(sizes.get(n - 2), scoreSeconds.get(n - 2), sizes.get(n - 1), scoreSeconds.get(n - 1));
        if (n >= 2) {
            report.line("growth exponent between %d and %d rows: fit %.2f, score %.2f", sizes.get(n - 2),
                    sizes.get(n - 1), fitExponent, scoreExponent);
        }
        report.line("memory of the training minibatches / of the rows cached as a DataFrame (MB): %s / %s",
                cachedMegabytes, dataFrameMegabytes);
        report.figure("dims", dims).figure("sizes", sizes)
                .figure("fitSeconds", fitSeconds.stream().map(Measure::round).toList())
                .figure("scoreSeconds", scoreSeconds.stream().map(Measure::round).toList())
                .figure("cachedMegabytes", cachedMegabytes).figure("dataFrameMegabytes", dataFrameMegabytes)
                .figure("fitExponent", Measure.round(fitExponent))
                .figure("scoreExponent", Measure.round(scoreExponent));
    }

    /** What Spark's storage figures say every cached RDD and DataFrame takes in memory. */
    static long cachedBytes(SparkSession spark) {
        long bytes = 0;
        for (RDDInfo info : spark.sparkContext().getRDDStorageInfo()) {
            bytes += info.memSize();
        }
        return bytes;
    }
}
