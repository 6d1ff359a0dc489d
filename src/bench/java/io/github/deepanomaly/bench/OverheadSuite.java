package io.github.deepanomaly.bench;

import io.github.deepanomaly.AutoencoderDetector;
import io.github.deepanomaly.cli.Args;
import io.github.deepanomaly.cli.Report;
import io.github.deepanomaly.core.ScoringModel;
import io.github.deepanomaly.core.Standardization;
import io.github.deepanomaly.core.TrainingSummary;
import io.github.deepanomaly.nn.Activations;
import io.github.deepanomaly.nn.DenseAutoencoderNetwork;
import io.github.deepanomaly.score.ReconstructionError;
import io.github.deepanomaly.train.Minibatches;
import io.github.deepanomaly.train.Training;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.spark.ml.Model;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * What distributing the training costs: the default autoencoder on the same synthetic rows, fitted (a) by
 * plain DL4J in this JVM, {@code MultiLayerNetwork.fit} on one minibatch after another for the default
 * epochs, and (b) by {@link AutoencoderDetector} (parameter averaging on the current Spark master), once with
 * each training engine, until its loss is down to (a)'s final loss, or {@value #GIVE_UP_FACTOR}× the epochs
 * have passed. The losses are the full-data reconstruction MSE, computed by the same code on the driver after
 * each epoch and outside the timings; ratio = (b)'s training seconds to reach the loss / (a)'s seconds.
 */
final class OverheadSuite implements Suite {
    static final int GIVE_UP_FACTOR = 3;
    static final long DEFAULT_ROWS = 100_000;
    static final int DEFAULT_DIMS = 20;

    @Override
    public String name() {
        return "overhead";
    }

    @Override
    public String usage() {
        return "[--rows " + DEFAULT_ROWS + "] [--dims " + DEFAULT_DIMS + "] [--epochs N] [--seed N] [--detectors gan,...]";
    }

    @Override
    public Set<String> options() {
        return Set.of("rows", "dims", "epochs", "seed", "detectors");
    }

    /** Where the distributed fit stands after its latest epoch. */
    private static final class Progress {
        int epoch;
        double seconds;
        double loss = Double.NaN;
        boolean matched;

        String summary(String engine, double localLoss, double localSeconds) {
            double ratio = Measure.ratio(seconds, localSeconds);
            return matched
                    ? String.format(Locale.ROOT, "%s reached the local loss %.6g after %d epochs: %.2f s vs %.2f s,"
                            + " ratio %.2f", engine, localLoss, epoch, seconds, localSeconds, ratio)
                    : String.format(Locale.ROOT, "%s did not reach the local loss %.6g in %d epochs (%.6g after %.2f s"
                            + " vs %.2f s locally); ratio %.2f is a lower bound", engine, localLoss, epoch, loss, seconds,
                            localSeconds, ratio);
        }
    }

    @Override
    public void run(SparkSession spark, Args args, Table table, Report report) {
        long rows = BenchmarkCommand.positiveLong(args, "rows", DEFAULT_ROWS);
        int dims = BenchmarkCommand.positiveInt(args, "dims", DEFAULT_DIMS);
        // untrimmed and without noise: the three ways of training are raced on the same loss, and dl4j-spark's
        // can do neither
        AutoencoderDetector detector = new AutoencoderDetector().setFeaturesCol(Contender.FEATURES).setTrimFraction(0)
                .setInputNoise(0);
        int epochs = BenchmarkCommand.positiveInt(args, "epochs", detector.getMaxIter());
        long seed = BenchmarkCommand.positiveLong(args, "seed", QualitySuite.DEFAULT_SEED);
        WarmUp.once(spark, report);
        Dataset<Row> data = SyntheticTable.lowRank(spark, rows, dims, seed).cache();
        data.count();
        // The rows as the detector standardizes them (it fits the same statistics on the same rows), in one
        // matrix on the driver: the local fit's minibatches are cut from it, and both losses computed on it.
        Standardization standardization = Standardization.fit(data, Contender.FEATURES);
        List<Vector> vectors = data.select(Contender.FEATURES).collectAsList().stream()
                .map(r -> (Vector) r.get(0)).toList();
        INDArray all = Minibatches.matrix(vectors, standardization);
        report.line("%d rows x %d features (rank %d + noise), network %s, %d epochs locally, up to %d distributed"
                + " on %s (%d workers)", rows, dims, SyntheticTable.rank(dims),
                Arrays.toString(DenseAutoencoderNetwork.defaultEncoder(dims)), epochs, GIVE_UP_FACTOR * epochs,
                spark.sparkContext().master(), spark.sparkContext().defaultParallelism());
        table.columns(Table.Column.text("path"), new Table.Column("epoch", "%d"), new Table.Column("seconds", "%.2f"),
                new Table.Column("loss", "%.6g"));

        MultiLayerNetwork network = DenseAutoencoderNetwork.build(dims, detector.getHiddenLayers(),
                Activations.byName(detector.getActivation()), detector.getStepSize(), detector.getSeed());
        List<DataSet> batches = minibatches(all, detector.getBatchSize());
        double localSeconds = 0;
        double lastLocalLoss = Double.NaN;
        for (int epoch = 1; epoch <= epochs; epoch++) {
            long start = System.nanoTime();
            for (DataSet batch : batches) {
                network.fit(batch);
            }
            localSeconds += Measure.secondsSince(start);
            lastLocalLoss = loss(network, all);
            table.row("local", epoch, localSeconds, lastLocalLoss);
        }
        double localLoss = lastLocalLoss;

        Progress averaging = race(detector, Training.AVERAGING, data, all, localLoss, epochs, table);
        Progress dl4jSpark = race(detector, Training.DL4J_SPARK, data, all, localLoss, epochs, table);
        Map<String, Object> detectorFits = args.list("detectors").isEmpty() ? null
                : defaultFits(args.list("detectors"), data, rows, report);
        data.unpersist();

        double ratio = Measure.ratio(averaging.seconds, localSeconds);
        double dl4jRatio = Measure.ratio(dl4jSpark.seconds, localSeconds);
        report.line(averaging.summary("averaging engine", localLoss, localSeconds));
        report.line(dl4jSpark.summary("dl4j-spark engine", localLoss, localSeconds));
        report.line(String.format(Locale.ROOT, "averaging engine / dl4j-spark: %.2f",
                Measure.ratio(averaging.seconds, dl4jSpark.seconds)));
        report.figure("rows", rows).figure("dims", dims).figure("epochs", epochs)
                .figure("workers", spark.sparkContext().defaultParallelism())
                .figure("distributedSeconds", Measure.round(averaging.seconds))
                .figure("localSeconds", Measure.round(localSeconds))
                .figure("ratio", Measure.round(ratio))
                .figure("localLoss", Measure.round(localLoss))
                .figure("distributedLoss", Measure.round(averaging.loss))
                .figure("epochsToMatch", averaging.matched ? averaging.epoch : null)
                .figure("matched", averaging.matched)
                .figure("dl4jSpark", Measure.figures("seconds", Measure.round(dl4jSpark.seconds),
                        "ratio", Measure.round(dl4jRatio), "loss", Measure.round(dl4jSpark.loss),
                        "epochsToMatch", dl4jSpark.matched ? dl4jSpark.epoch : null, "matched", dl4jSpark.matched))
                .figure("engineOverDl4jSpark", Measure.round(Measure.ratio(averaging.seconds, dl4jSpark.seconds)))
                .figure("detectorFits", detectorFits);
    }

    /**
     * Each named detector's whole default fit (training, then the training scores for the threshold) on the same
     * rows, against the autoencoder's: what another detector's training costs next to the autoencoder's.
     */
    private static Map<String, Object> defaultFits(List<String> names, Dataset<Row> data, long rows, Report report) {
        Map<String, Object> fits = new LinkedHashMap<>();
        double autoencoderSeconds = Double.NaN;
        for (String name : Stream.concat(Stream.of("autoencoder"), names.stream().filter(n -> !n.equals("autoencoder")))
                .toList()) {
            long start = System.nanoTime();
            Model<?> model = Contender.ours(name).fit(data, rows);
            double seconds = Measure.secondsSince(start);
            if (name.equals("autoencoder")) {
                autoencoderSeconds = seconds;
            }
            Integer fitEpochs = model instanceof ScoringModel ours
                    ? ours.trainingSummary().map(TrainingSummary::epochs).orElse(null) : null;
            double ratio = Measure.ratio(seconds, autoencoderSeconds);
            report.line(String.format(Locale.ROOT, "%s, default params: fit in %.2f s (%s epochs), %.2f x the"
                    + " autoencoder's", name, seconds, fitEpochs, ratio));
            fits.put(name, Measure.figures("fitSeconds", Measure.round(seconds), "epochs", fitEpochs,
                    "overAutoencoder", Measure.round(ratio)));
        }
        return fits;
    }

    /**
     * Fits with {@code engine} until the full-data loss is down to the local fit's, without held-out rows
     * (the race stops by the loss, not by early stopping).
     */
    private static Progress race(AutoencoderDetector detector, String engine, Dataset<Row> data, INDArray all,
            double localLoss, int epochs, Table table) {
        Progress progress = new Progress();
        detector.copy(ParamMap.empty()).setTrainingEngine(engine).setValidationFraction(0)
                .setMaxIter(GIVE_UP_FACTOR * epochs).fit(data, (epoch, net, seconds) -> {
                    double loss = loss(net, all);
                    table.row(engine, epoch, seconds, loss);
                    progress.epoch = epoch;
                    progress.seconds = seconds;
                    progress.loss = loss;
                    progress.matched = loss <= localLoss;
                    return !progress.matched;
                });
        return progress;
    }

    /** The full-data reconstruction MSE: the mean of the rows' anomaly scores. */
    static double loss(MultiLayerNetwork network, INDArray all) {
        return Arrays.stream(new ReconstructionError().scores(network, all)).average().orElse(Double.NaN);
    }

    /** Consecutive slices of {@code batchSize} rows (the last may be smaller), as the distributed minibatches are. */
    static List<DataSet> minibatches(INDArray all, int batchSize) {
        List<DataSet> batches = new ArrayList<>();
        long rows = all.rows();
        for (long from = 0; from < rows; from += batchSize) {
            INDArray x = all.get(NDArrayIndex.interval(from, Math.min(rows, from + batchSize)), NDArrayIndex.all()).dup();
            batches.add(new DataSet(x, x));
        }
        return batches;
    }
}
