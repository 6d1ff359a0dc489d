package io.github.deepanomaly.bench;

import io.github.deepanomaly.AutoencoderDetectorModel;
import io.github.deepanomaly.cli.Args;
import io.github.deepanomaly.cli.Report;
import io.github.deepanomaly.cli.UsageException;
import io.github.deepanomaly.train.Minibatches;
import java.util.List;
import java.util.Set;
import java.util.function.DoubleSupplier;
import org.apache.spark.ml.Model;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Scoring speed on one cached table: {@link AutoencoderDetectorModel#transform} against the reference
 * Isolation Forest's transform (both forced by summing the score column, which needs every row's score),
 * and against the limit, DL4J's {@code output()} of the same networks on all rows as one prebuilt,
 * standardized batch on the driver (no Spark, no conversion of rows); and beside them what no transform
 * of the table can beat, Spark summing the first value of every row's vector (the same read of the
 * cached vectors and the same job, without any model). Each is run once to warm up and then
 * {@code --repeats} times; the median counts.
 */
final class ThroughputSuite implements Suite {
    /** Five: in one run on http the first three timed runs still sped up (1.19M, 1.59M, 1.87M rows/s: the JIT). */
    static final int DEFAULT_REPEATS = 5;

    @Override
    public String name() {
        return "throughput";
    }

    @Override
    public String usage() {
        return "--input FILE.csv|DIR [--label-col label] [--repeats " + DEFAULT_REPEATS + "]";
    }

    @Override
    public Set<String> options() {
        return Set.of("input", "label-col", "repeats");
    }

    @Override
    public void run(SparkSession spark, Args args, Table table, Report report) {
        String labelCol = args.get("label-col", QualitySuite.LABEL);
        int repeats = BenchmarkCommand.positiveInt(args, "repeats", DEFAULT_REPEATS);
        String input = args.required("input");
        BenchTable data = BenchTable.load(spark, input, input, labelCol);
        if (args.has("label-col") && data.labelCol() == null) {
            throw new UsageException("Label column '" + labelCol + "' not found in " + input);
        }
        WarmUp.once(spark, report);
        int partitions = data.frame().rdd().getNumPartitions();
        report.line("%s: %d rows x %d features, %d partitions, %d cores", input, data.rows(), data.dims(), partitions,
                spark.sparkContext().defaultParallelism());
        Contender ours = Contender.ours("autoencoder");
        Contender forest = Contender.isolationForest();
        long start = System.nanoTime();
        AutoencoderDetectorModel model = (AutoencoderDetectorModel) ours.fit(data.frame(), data.rows());
        double oursFitSeconds = Measure.secondsSince(start);
        start = System.nanoTime();
        Model<?> forestModel = forest.fit(data.frame(), data.rows());
        double forestFitSeconds = Measure.secondsSince(start);
        report.line("fitted: %s in %.1f s, %s in %.1f s (not part of the figures)", ours.name(), oursFitSeconds,
                forest.name(), forestFitSeconds);
        table.columns(Table.Column.text("scorer"), Table.Column.text("run"), new Table.Column("seconds", "%.3f"),
                new Table.Column("rowsPerSec", "%.0f"));

        double oursRate = rowsPerSecond(table, ours.name(), data.rows(), repeats,
                () -> Measure.sumOfScores(model.transform(data.frame()), ours.scoreCol()));
        double forestRate = rowsPerSecond(table, forest.name(), data.rows(), repeats,
                () -> Measure.sumOfScores(forestModel.transform(data.frame()), forest.scoreCol()));
        // What no transform of this table can beat: Spark reading every row's vector, with no model at all.
        double ceilingRate = rowsPerSecond(table, "spark-read", data.rows(), repeats,
                () -> data.frame().agg(functions.sum(org.apache.spark.ml.functions.vector_to_array(
                        functions.col(Contender.FEATURES), "float64").getItem(0))).first().getDouble(0));
        List<Vector> vectors = data.frame().select(Contender.FEATURES).collectAsList().stream()
                .map(r -> (Vector) r.get(0)).toList();
        INDArray batch = Minibatches.matrix(vectors, model.featureStandardization());
        // every network the model scores with (the denoising and the plain one by default), as transform does
        List<MultiLayerNetwork> networks = model.networks();
        double rawRate = rowsPerSecond(table, "raw-dl4j", data.rows(), repeats, () -> {
            double sum = 0;
            for (MultiLayerNetwork network : networks) {
                sum += network.output(batch, false).getDouble(0);
            }
            return sum;
        });
        data.release();

        report.line("ours / iforest %.2f, ours / raw DL4J %.2f, ours / Spark's read of the vectors %.2f",
                oursRate / forestRate, oursRate / rawRate, oursRate / ceilingRate);
        report.figure("input", input).figure("rows", data.rows()).figure("dims", data.dims())
                .figure("partitions", partitions)
                .figure("oursRowsPerSecond", Measure.round(oursRate))
                .figure("iforestRowsPerSecond", Measure.round(forestRate))
                .figure("rawRowsPerSecond", Measure.round(rawRate))
                .figure("sparkReadRowsPerSecond", Measure.round(ceilingRate))
                .figure("oursVsIforest", Measure.round(Measure.ratio(oursRate, forestRate)))
                .figure("oursVsRaw", Measure.round(Measure.ratio(oursRate, rawRate)))
                .figure("oursVsSparkRead", Measure.round(Measure.ratio(oursRate, ceilingRate)));
    }

    /** One warm-up run, then the median rate of {@code repeats} timed runs of {@code scoreAll}. */
    static double rowsPerSecond(Table table, String scorer, long rows, int repeats, DoubleSupplier scoreAll) {
        long start = System.nanoTime();
        scoreAll.getAsDouble();
        double warmUp = Measure.secondsSince(start);
        table.row(scorer, "warm-up", warmUp, rows / warmUp);
        double[] rates = new double[repeats];
        for (int i = 0; i < repeats; i++) {
            start = System.nanoTime();
            scoreAll.getAsDouble();
            double seconds = Measure.secondsSince(start);
            rates[i] = rows / seconds;
            table.row(scorer, String.valueOf(i + 1), seconds, rates[i]);
        }
        return Measure.median(rates);
    }
}
