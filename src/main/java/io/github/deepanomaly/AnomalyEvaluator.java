package io.github.deepanomaly;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.isnan;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Collectors;

import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.ml.evaluation.Evaluator;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWritable;
import org.apache.spark.ml.util.Identifiable;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.NumericType;

import scala.Tuple2;
import scala.runtime.AbstractFunction1;

/**
 * Exact, distributed evaluation of anomaly scores against 0/1 labels (1 = anomaly, 0 = normal).
 *
 * <p>Unlike {@code BinaryClassificationEvaluator}, which bins the ROC/PR curves to 1000 points by
 * default, every metric here is computed over all distinct score values. Rows are first aggregated
 * per distinct score (positives and negatives per score), the distinct scores are range-sorted in
 * descending order into {@code spark.sql.shuffle.partitions} partitions, and the curves are walked
 * with per-partition prefix sums (one pass for partition totals, one pass with the cumulative
 * offsets). Only per-partition totals and per-partition partial results reach the driver, never
 * the scores. The input is scanned once.
 *
 * <p>Definitions, with P anomalies, N normal rows, and for a distinct score s: TP(s), FP(s) = the
 * anomalies and normal rows scoring at least s.
 * <ul>
 *   <li>{@code areaUnderROC}: the trapezoidal area under the ROC curve with one point per distinct
 *       score, i.e. the Mann-Whitney statistic with midranks: the probability that a random anomaly
 *       scores higher than a random normal row, a tie counting 1/2.</li>
 *   <li>{@code areaUnderPR}: average precision as in scikit-learn's
 *       {@code average_precision_score}: the step-function sum over distinct scores s (descending)
 *       of (R(s) − R(previous s)) · P(s), with R = TP/P and P = TP/(TP+FP). Tied rows enter
 *       together, so ties are neither optimistic nor pessimistic; no interpolation.</li>
 *   <li>{@code precisionAtK}: precision among the k highest-scored rows with k = P. If the k-th
 *       slot falls inside a group of tied scores, that group fills the remaining slots with its
 *       positive fraction, i.e. the expected precision when ties are broken at random.</li>
 *   <li>{@code f1AtThreshold}: F1 of {@code predictionCol} (1.0 = predicted anomaly, 0.0 = normal)
 *       against the label: 2·TP / (2·TP + FP + FN).</li>
 *   <li>{@code bestF1}: the maximum over distinct scores s of the F1 of the rule "score ≥ s".</li>
 * </ul>
 * All metrics are larger-is-better, and all need both classes in the input.
 *
 * <p>Double arithmetic is exact for the AUC-ROC numerator while 2·P·N &lt; 2^53 (about 10^8 rows);
 * beyond that the relative rounding is of order 1e-16.
 */
public class AnomalyEvaluator extends Evaluator implements DefaultParamsWritable {
    private static final long serialVersionUID = 1L;

    public static final String AREA_UNDER_ROC = "areaUnderROC";
    public static final String AREA_UNDER_PR = "areaUnderPR";
    public static final String PRECISION_AT_K = "precisionAtK";
    public static final String F1_AT_THRESHOLD = "f1AtThreshold";
    public static final String BEST_F1 = "bestF1";
    private static final List<String> METRIC_NAMES =
            List.of(AREA_UNDER_ROC, AREA_UNDER_PR, PRECISION_AT_K, F1_AT_THRESHOLD, BEST_F1);

    // Positions in the per-score counter arrays produced by counterColumns().
    private static final int ROWS = 0;
    private static final int POS = 1;
    private static final int NEG = 2;
    private static final int NULL_LABEL = 3;
    private static final int BAD_LABEL = 4;
    private static final int NULL_SCORE = 5;
    private static final int NAN_SCORE = 6;
    private static final int NULL_PRED = 7;
    private static final int BAD_PRED = 8;
    private static final int PRED_POS = 9;
    private static final int TRUE_POS = 10;
    private static final int COUNTERS = 11;

    /**
     * All metrics of one dataset. {@code f1AtThreshold} is NaN when the input has no prediction
     * column; {@code bestF1Threshold} is the highest score s at which "score ≥ s" reaches
     * {@code bestF1}.
     */
    public record Metrics(double areaUnderROC, double areaUnderPR, double precisionAtK, double bestF1,
                          double bestF1Threshold, double f1AtThreshold, long rows, long anomalies) {

        /** The value of a metric by its {@code metricName}. */
        public double metric(String metricName) {
            return switch (metricName) {
                case AREA_UNDER_ROC -> areaUnderROC;
                case AREA_UNDER_PR -> areaUnderPR;
                case PRECISION_AT_K -> precisionAtK;
                case F1_AT_THRESHOLD -> f1AtThreshold;
                case BEST_F1 -> bestF1;
                default -> throw new IllegalArgumentException(
                        "unknown metricName '" + metricName + "'; use one of " + METRIC_NAMES);
            };
        }
    }

    private final String uid;
    private final Param<String> labelCol;
    private final Param<String> scoreCol;
    private final Param<String> predictionCol;
    private final Param<String> metricName;

    public AnomalyEvaluator() {
        this(Identifiable.randomUID("anomalyEval"));
    }

    public AnomalyEvaluator(String uid) {
        // Params take their parent's uid at construction, so uid must be assigned first.
        this.uid = uid;
        labelCol = new Param<>(this, "labelCol",
                "label column, 1 = anomaly, 0 = normal; any numeric type", NonEmpty.INSTANCE);
        scoreCol = new Param<>(this, "scoreCol",
                "anomaly score column, higher = more anomalous; any numeric type", NonEmpty.INSTANCE);
        predictionCol = new Param<>(this, "predictionCol",
                "predicted label column, 1.0 = anomaly, 0.0 = normal; used by f1AtThreshold",
                NonEmpty.INSTANCE);
        metricName = new Param<>(this, "metricName",
                "metric to compute: one of " + String.join(", ", METRIC_NAMES),
                ParamValidators.inArray(METRIC_NAMES));
        setDefault(labelCol, "label");
        setDefault(scoreCol, "anomalyScore");
        setDefault(predictionCol, "prediction");
        setDefault(metricName, AREA_UNDER_ROC);
    }

    @Override
    public String uid() {
        return uid;
    }

    public Param<String> labelCol() {
        return labelCol;
    }

    public Param<String> scoreCol() {
        return scoreCol;
    }

    public Param<String> predictionCol() {
        return predictionCol;
    }

    public Param<String> metricName() {
        return metricName;
    }

    public String getLabelCol() {
        return getOrDefault(labelCol);
    }

    public String getScoreCol() {
        return getOrDefault(scoreCol);
    }

    public String getPredictionCol() {
        return getOrDefault(predictionCol);
    }

    public String getMetricName() {
        return getOrDefault(metricName);
    }

    public AnomalyEvaluator setLabelCol(String value) {
        set(labelCol, value);
        return this;
    }

    public AnomalyEvaluator setScoreCol(String value) {
        set(scoreCol, value);
        return this;
    }

    public AnomalyEvaluator setPredictionCol(String value) {
        set(predictionCol, value);
        return this;
    }

    public AnomalyEvaluator setMetricName(String value) {
        set(metricName, value);
        return this;
    }

    @Override
    public boolean isLargerBetter() {
        return true;
    }

    @Override
    public AnomalyEvaluator copy(ParamMap extra) {
        return defaultCopy(extra);
    }

    public static MLReader<AnomalyEvaluator> read() {
        return new DefaultParamsReader<>();
    }

    public static AnomalyEvaluator load(String path) {
        return read().load(path);
    }

    /** The metric named by {@code metricName}. */
    @Override
    public double evaluate(Dataset<?> dataset) {
        String metric = getMetricName();
        if (F1_AT_THRESHOLD.equals(metric)) {
            // Needs only global counts, so skip the per-score sort entirely.
            Dataset<Row> frame = prepare(dataset, metric, Prediction.REQUIRED);
            List<Column> counters = counterColumns(true);
            Row row = frame.agg(counters.get(0), counters.subList(1, counters.size()).toArray(new Column[0]))
                    .head();
            long[] totals = new long[COUNTERS];
            for (int i = 0; i < COUNTERS; i++) {
                totals[i] = row.getLong(i);
            }
            validate(metric, totals, frame, true);
            return f1(totals);
        }
        return curves(dataset, metric, Prediction.IGNORED).metric(metric);
    }

    /**
     * Every metric from one scan of the input. {@code f1AtThreshold} is included (otherwise NaN)
     * when the dataset has a column named by {@code predictionCol}.
     */
    public Metrics evaluateAll(Dataset<?> dataset) {
        return curves(dataset, "evaluateAll", Prediction.IF_PRESENT);
    }

    private enum Prediction { IGNORED, IF_PRESENT, REQUIRED }

    /** Selects the inputs as doubles named s (score), l (label) and, when used, p (prediction). */
    private Dataset<Row> prepare(Dataset<?> dataset, String who, Prediction prediction) {
        requireNumeric(dataset, "labelCol", getLabelCol(), who);
        requireNumeric(dataset, "scoreCol", getScoreCol(), who);
        List<Column> columns = new ArrayList<>(List.of(
                // + 0.0 turns -0.0 into 0.0 so both zeros form one score group.
                dataset.col(getScoreCol()).cast("double").plus(0.0).as("s"),
                dataset.col(getLabelCol()).cast("double").as("l")));
        boolean hasPrediction = resolveType(dataset, getPredictionCol()) != null;
        if (prediction == Prediction.REQUIRED && !hasPrediction) {
            throw new IllegalArgumentException(who + " needs predictionCol '" + getPredictionCol()
                    + "' (1.0 = predicted anomaly, 0.0 = normal), which is not in the input; available columns: "
                    + Arrays.toString(dataset.columns()) + ". Set predictionCol or choose another metricName.");
        }
        if (prediction != Prediction.IGNORED && hasPrediction) {
            requireNumeric(dataset, "predictionCol", getPredictionCol(), who);
            columns.add(dataset.col(getPredictionCol()).cast("double").as("p"));
        }
        return dataset.select(columns.toArray(new Column[0]));
    }

    private Metrics curves(Dataset<?> dataset, String who, Prediction prediction) {
        Dataset<Row> frame = prepare(dataset, who, prediction);
        boolean hasPrediction = Arrays.asList(frame.columns()).contains("p");
        List<Column> counters = counterColumns(hasPrediction);
        Dataset<Row> perScore = frame.groupBy(col("s"))
                .agg(counters.get(0), counters.subList(1, counters.size()).toArray(new Column[0]));
        int partitions = Integer.parseInt(dataset.sparkSession().conf().get("spark.sql.shuffle.partitions"));
        JavaPairRDD<Double, long[]> sorted = perScore.javaRDD()
                .mapToPair(AnomalyEvaluator::scoreGroup)
                .sortByKey(false, partitions);

        // Pass 1: totals per partition, in partition (= descending score) order.
        List<long[]> partitionTotals = sorted.mapPartitions(AnomalyEvaluator::sumCounters).collect();
        long[] totals = new long[COUNTERS];
        long[] posBefore = new long[partitionTotals.size()];
        long[] negBefore = new long[partitionTotals.size()];
        for (int i = 0; i < partitionTotals.size(); i++) {
            posBefore[i] = totals[POS];
            negBefore[i] = totals[NEG];
            add(totals, partitionTotals.get(i));
        }
        validate(who, totals, frame, hasPrediction);

        // Pass 2: each partition walks its scores starting from the counts of all higher scores.
        long positives = totals[POS];
        long negatives = totals[NEG];
        List<double[]> partials = sorted.mapPartitionsWithIndex(
                (index, groups) -> List.of(walk(groups, posBefore[index], negBefore[index], positives)).iterator(),
                false).collect();
        double aucTwice = 0;
        double precisionSum = 0;
        double expectedTopK = 0;
        double bestF1 = 0;
        double bestThreshold = Double.NaN;
        for (double[] partial : partials) {
            aucTwice += partial[0];
            precisionSum += partial[1];
            expectedTopK += partial[2];
            // Partitions arrive in descending score order; ">" keeps the highest threshold on ties.
            if (partial[3] > bestF1) {
                bestF1 = partial[3];
                bestThreshold = partial[4];
            }
        }
        return new Metrics(
                aucTwice / (2.0 * positives * negatives),
                precisionSum / positives,
                expectedTopK / positives,
                bestF1,
                bestThreshold,
                hasPrediction ? f1(totals) : Double.NaN,
                totals[ROWS],
                positives);
    }

    /**
     * Walks distinct-score groups in descending order and returns {2·AUC numerator, Σ p·precision,
     * expected anomalies among the top k, best F1, its threshold} for this stretch of the curve.
     */
    private static double[] walk(Iterator<Tuple2<Double, long[]>> groups, long posBefore, long negBefore,
                                 long positives) {
        long tp = posBefore;
        long fp = negBefore;
        long k = positives;
        double aucTwice = 0;
        double precisionSum = 0;
        double expectedTopK = 0;
        double bestF1 = 0;
        double bestThreshold = Double.NaN;
        while (groups.hasNext()) {
            Tuple2<Double, long[]> group = groups.next();
            long p = group._2()[POS];
            long n = group._2()[NEG];
            if (p + n == 0) {
                continue;
            }
            // Each normal row here is outranked by tp anomalies and ties with p of them (1/2 each).
            aucTwice += (double) n * (2.0 * tp + p);
            long slots = Math.min(Math.max(k - (tp + fp), 0), p + n);
            expectedTopK += (double) slots * p / (p + n);
            tp += p;
            fp += n;
            precisionSum += (double) p * tp / (tp + fp);
            double f1 = 2.0 * tp / (tp + fp + positives);
            if (f1 > bestF1) {
                bestF1 = f1;
                bestThreshold = group._1();
            }
        }
        return new double[] {aucTwice, precisionSum, expectedTopK, bestF1, bestThreshold};
    }

    private static double f1(long[] totals) {
        return 2.0 * totals[TRUE_POS] / (totals[PRED_POS] + totals[POS]);
    }

    /** Counts per group in the order of the ROWS..TRUE_POS constants; all are non-null longs. */
    private static List<Column> counterColumns(boolean withPrediction) {
        Column s = col("s");
        Column l = col("l");
        List<Column> counters = new ArrayList<>(List.of(
                count(lit(1)),
                count(when(l.equalTo(1.0), 1)),
                count(when(l.equalTo(0.0), 1)),
                count(when(l.isNull(), 1)),
                // NaN fails both equalities, so NaN labels count as bad too.
                count(when(l.isNotNull().and(l.notEqual(0.0)).and(l.notEqual(1.0)), 1)),
                count(when(s.isNull(), 1)),
                count(when(isnan(s), 1))));
        if (withPrediction) {
            Column p = col("p");
            counters.addAll(List.of(
                    count(when(p.isNull(), 1)),
                    count(when(p.isNotNull().and(p.notEqual(0.0)).and(p.notEqual(1.0)), 1)),
                    count(when(p.equalTo(1.0), 1)),
                    count(when(p.equalTo(1.0).and(l.equalTo(1.0)), 1))));
        } else {
            for (int i = NULL_PRED; i < COUNTERS; i++) {
                counters.add(lit(0L));
            }
        }
        return counters;
    }

    private static Tuple2<Double, long[]> scoreGroup(Row row) {
        // Null scores are rejected after pass 1; NaN keeps them sortable until then.
        double score = row.isNullAt(0) ? Double.NaN : row.getDouble(0);
        long[] counts = new long[COUNTERS];
        for (int i = 0; i < COUNTERS; i++) {
            counts[i] = row.getLong(i + 1);
        }
        return new Tuple2<>(score, counts);
    }

    private static Iterator<long[]> sumCounters(Iterator<Tuple2<Double, long[]>> groups) {
        long[] sum = new long[COUNTERS];
        while (groups.hasNext()) {
            add(sum, groups.next()._2());
        }
        return List.of(sum).iterator();
    }

    private static void add(long[] into, long[] counts) {
        for (int i = 0; i < COUNTERS; i++) {
            into[i] += counts[i];
        }
    }

    private void validate(String who, long[] totals, Dataset<Row> frame, boolean hasPrediction) {
        long rows = totals[ROWS];
        if (rows == 0) {
            throw new IllegalArgumentException(who + " needs at least one row, but the input is empty.");
        }
        if (totals[NULL_LABEL] > 0) {
            throw new IllegalArgumentException("labelCol '" + getLabelCol() + "' has " + totals[NULL_LABEL]
                    + " null values (of " + rows + " rows); drop or fill them before evaluating.");
        }
        if (totals[NULL_SCORE] > 0) {
            throw new IllegalArgumentException("scoreCol '" + getScoreCol() + "' has " + totals[NULL_SCORE]
                    + " null values (of " + rows + " rows); drop or fill them before evaluating.");
        }
        if (totals[NAN_SCORE] > 0) {
            throw new IllegalArgumentException("scoreCol '" + getScoreCol() + "' has " + totals[NAN_SCORE]
                    + " NaN values (of " + rows + " rows); NaN cannot be ranked, drop or fix them before evaluating.");
        }
        if (totals[BAD_LABEL] > 0) {
            throw new IllegalArgumentException("labelCol '" + getLabelCol() + "' must be 1 (anomaly) or 0 (normal), but "
                    + totals[BAD_LABEL] + " of " + rows + " rows have other values, e.g. "
                    + examples(frame, "l") + "; map the labels to 0/1 first.");
        }
        if (hasPrediction && totals[NULL_PRED] > 0) {
            throw new IllegalArgumentException("predictionCol '" + getPredictionCol() + "' has " + totals[NULL_PRED]
                    + " null values (of " + rows + " rows); drop or fill them before evaluating.");
        }
        if (hasPrediction && totals[BAD_PRED] > 0) {
            throw new IllegalArgumentException("predictionCol '" + getPredictionCol()
                    + "' must be 1.0 (anomaly) or 0.0 (normal), but " + totals[BAD_PRED] + " of " + rows
                    + " rows have other values, e.g. " + examples(frame, "p")
                    + "; threshold the scores into 0/1 predictions first.");
        }
        if (totals[POS] == 0 || totals[NEG] == 0) {
            int only = totals[POS] == 0 ? 0 : 1;
            throw new IllegalArgumentException(who + " needs both anomalies (label 1) and normal rows (label 0);"
                    + " the input has only label " + only + " — " + rows + " rows");
        }
    }

    /** A few offending values, fetched only on the error path. */
    private static String examples(Dataset<Row> frame, String column) {
        Column c = col(column);
        return frame.where(c.isNotNull().and(c.notEqual(0.0)).and(c.notEqual(1.0)))
                .select(c).distinct().limit(5).collectAsList().stream()
                .map(r -> String.valueOf(r.getDouble(0)))
                .collect(Collectors.joining(", ", "[", "]"));
    }

    private static void requireNumeric(Dataset<?> dataset, String param, String name, String who) {
        DataType type = resolveType(dataset, name);
        if (type == null) {
            throw new IllegalArgumentException(who + ": " + param + " '" + name + "' is not in the input; available columns: "
                    + Arrays.toString(dataset.columns()) + ". Set " + param + " to one of them.");
        }
        if (!(type instanceof NumericType)) {
            throw new IllegalArgumentException(who + ": " + param + " '" + name + "' has type " + type.simpleString()
                    + ", expected a numeric type (double, float, decimal, long, int, short or byte); cast it first.");
        }
    }

    /** The column's type as Spark resolves the name (case sensitivity, nesting), or null if absent. */
    private static DataType resolveType(Dataset<?> dataset, String name) {
        try {
            return dataset.select(dataset.col(name)).schema().fields()[0].dataType();
        } catch (Exception e) {
            // Scala does not declare AnalysisException, so javac only lets us catch it broadly.
            if (e instanceof AnalysisException) {
                return null;
            }
            throw e;
        }
    }

    private static final class NonEmpty extends AbstractFunction1<String, Object> implements Serializable {
        private static final long serialVersionUID = 1L;
        static final NonEmpty INSTANCE = new NonEmpty();

        @Override
        public Object apply(String value) {
            return value != null && !value.isEmpty();
        }
    }
}
