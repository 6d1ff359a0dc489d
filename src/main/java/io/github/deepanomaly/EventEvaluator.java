package io.github.deepanomaly;

import io.github.deepanomaly.core.SchemaChecks;
import java.io.Serializable;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.ml.evaluation.Evaluator;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWritable;
import org.apache.spark.ml.util.Identifiable;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;

/**
 * Event-level evaluation of anomaly predictions on time series, the protocol of Orion's benchmark
 * (Alnegheimish et al., "Sintel", SIGMOD 2022; {@code orion.evaluation.contextual}, overlapping
 * segments): within each series, in time order, a labelled window is a run of consecutive rows with
 * label 1 and a predicted event a run of consecutive rows with prediction 1 (a null prediction counts as
 * 0). A window is found (a true positive) when some event overlaps it, i.e. shares a row with it, and
 * missed (a false negative) otherwise; an event overlapping no window is a false positive. Precision =
 * TP / (TP + FP), recall = TP / (TP + FN), F1 their harmonic mean; each is 0 when its denominator is.
 *
 * <p>Computed on the executors: rows partitioned by series and sorted by time (one series is walked by
 * one task); only three counts per partition reach the driver.
 */
public class EventEvaluator extends Evaluator implements DefaultParamsWritable {
    private static final long serialVersionUID = 1L;

    public static final String EVENT_F1 = "eventF1";
    public static final String EVENT_PRECISION = "eventPrecision";
    public static final String EVENT_RECALL = "eventRecall";

    /** Windows found, events outside every window, windows missed, and the figures from them. */
    public record Metrics(long truePositives, long falsePositives, long falseNegatives) implements Serializable {
        public Metrics plus(Metrics o) {
            return new Metrics(truePositives + o.truePositives, falsePositives + o.falsePositives,
                    falseNegatives + o.falseNegatives);
        }

        public double precision() {
            long events = truePositives + falsePositives;
            return events == 0 ? 0.0 : truePositives / (double) events;
        }

        public double recall() {
            long windows = truePositives + falseNegatives;
            return windows == 0 ? 0.0 : truePositives / (double) windows;
        }

        public double f1() {
            double p = precision();
            double r = recall();
            return p + r == 0 ? 0.0 : 2 * p * r / (p + r);
        }

        public double metric(String name) {
            return switch (name) {
                case EVENT_F1 -> f1();
                case EVENT_PRECISION -> precision();
                case EVENT_RECALL -> recall();
                default -> throw new IllegalArgumentException("unknown metricName '" + name + "'");
            };
        }
    }

    private final String uid;
    private final Param<String> labelCol;
    private final Param<String> predictionCol;
    private final Param<String> timeCol;
    private final Param<String> seriesCol;
    private final Param<String> metricName;

    public EventEvaluator() {
        this(Identifiable.randomUID("eventEval"));
    }

    public EventEvaluator(String uid) {
        this.uid = uid;
        labelCol = new Param<>(this, "labelCol", "label column: 1 inside a labelled anomaly window, 0 outside");
        predictionCol = new Param<>(this, "predictionCol", "predicted label column: 1.0 = anomaly");
        timeCol = new Param<>(this, "timeCol", "time column the rows of a series are ordered by");
        seriesCol = new Param<>(this, "seriesCol", "series id column; empty (default): one series");
        metricName = new Param<>(this, "metricName", "metric: eventF1 (default), eventPrecision or eventRecall",
                ParamValidators.inArray(new String[] {EVENT_F1, EVENT_PRECISION, EVENT_RECALL}));
        setDefault(labelCol, "label");
        setDefault(predictionCol, "prediction");
        setDefault(timeCol, "timestamp");
        setDefault(seriesCol, "");
        setDefault(metricName, EVENT_F1);
    }

    @Override
    public String uid() {
        return uid;
    }

    public Param<String> labelCol() {
        return labelCol;
    }

    public Param<String> predictionCol() {
        return predictionCol;
    }

    public Param<String> timeCol() {
        return timeCol;
    }

    public Param<String> seriesCol() {
        return seriesCol;
    }

    public Param<String> metricName() {
        return metricName;
    }

    public String getLabelCol() {
        return getOrDefault(labelCol);
    }

    public String getPredictionCol() {
        return getOrDefault(predictionCol);
    }

    public String getTimeCol() {
        return getOrDefault(timeCol);
    }

    public String getSeriesCol() {
        return getOrDefault(seriesCol);
    }

    public String getMetricName() {
        return getOrDefault(metricName);
    }

    public EventEvaluator setLabelCol(String value) {
        set(labelCol, value);
        return this;
    }

    public EventEvaluator setPredictionCol(String value) {
        set(predictionCol, value);
        return this;
    }

    public EventEvaluator setTimeCol(String value) {
        set(timeCol, value);
        return this;
    }

    public EventEvaluator setSeriesCol(String value) {
        set(seriesCol, value);
        return this;
    }

    public EventEvaluator setMetricName(String value) {
        set(metricName, value);
        return this;
    }

    @Override
    public double evaluate(Dataset<?> dataset) {
        return metrics(dataset).metric(getMetricName());
    }

    /** The counts behind every metric, in one pass. */
    public Metrics metrics(Dataset<?> dataset) {
        SchemaChecks.requireColumn(dataset.schema(), getLabelCol());
        SchemaChecks.requireColumn(dataset.schema(), getPredictionCol());
        SchemaChecks.requireColumn(dataset.schema(), getTimeCol());
        Column series = getSeriesCol().isEmpty() ? functions.lit("")
                : SchemaChecks.column(getSeriesCol()).cast("string");
        Column time = SchemaChecks.column(getTimeCol());
        if (!(dataset.schema().apply(getTimeCol()).dataType() instanceof org.apache.spark.sql.types.NumericType)) {
            time = time.cast("timestamp");
        }
        Dataset<Row> rows = dataset.select(series.as("s"), time.cast("double").as("t"),
                functions.coalesce(SchemaChecks.column(getLabelCol()).cast("double"), functions.lit(0.0)).as("l"),
                functions.coalesce(SchemaChecks.column(getPredictionCol()).cast("double"), functions.lit(0.0)).as("p"));
        List<Metrics> parts = rows.repartition(functions.col("s")).sortWithinPartitions("s", "t")
                .mapPartitions((MapPartitionsFunction<Row, Metrics>) EventEvaluator::count, Encoders.javaSerialization(Metrics.class))
                .collectAsList();
        return parts.stream().reduce(new Metrics(0, 0, 0), Metrics::plus);
    }

    private static Iterator<Metrics> count(Iterator<Row> rows) {
        long tp = 0;
        long fp = 0;
        long fn = 0;
        String series = null;
        boolean inWindow = false;
        boolean windowHit = false;
        boolean inEvent = false;
        boolean eventHit = false;
        while (rows.hasNext()) {
            Row r = rows.next();
            String s = r.getString(0);
            boolean label = r.getDouble(2) == 1.0;
            boolean predicted = r.getDouble(3) == 1.0;
            boolean newSeries = !s.equals(series);
            series = s;
            if (inWindow && (newSeries || !label)) {
                tp += windowHit ? 1 : 0;
                fn += windowHit ? 0 : 1;
                inWindow = false;
            }
            if (inEvent && (newSeries || !predicted)) {
                fp += eventHit ? 0 : 1;
                inEvent = false;
            }
            if (label && !inWindow) {
                inWindow = true;
                windowHit = false;
            }
            if (predicted && !inEvent) {
                inEvent = true;
                eventHit = false;
            }
            if (label && predicted) {
                windowHit = true;
                eventHit = true;
            }
        }
        if (inWindow) {
            tp += windowHit ? 1 : 0;
            fn += windowHit ? 0 : 1;
        }
        if (inEvent && !eventHit) {
            fp++;
        }
        return List.of(new Metrics(tp, fp, fn)).iterator();
    }

    @Override
    public boolean isLargerBetter() {
        return true;
    }

    @Override
    public EventEvaluator copy(ParamMap extra) {
        return defaultCopy(extra);
    }

    public static MLReader<EventEvaluator> read() {
        return new DefaultParamsReader<>();
    }

    public static EventEvaluator load(String path) {
        return read().load(path);
    }
}
