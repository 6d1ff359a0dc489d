package io.github.deepanomaly;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

class EventEvaluatorTest {
    private static final StructType SCHEMA = new StructType().add("id", DataTypes.StringType)
            .add("t", DataTypes.LongType).add("label", DataTypes.DoubleType).add("prediction", DataTypes.DoubleType,
                    true);

    private static void add(List<Row> rows, String id, String labels, String predictions) {
        for (int t = 0; t < labels.length(); t++) {
            char p = predictions.charAt(t);
            rows.add(RowFactory.create(id, (long) t, (double) (labels.charAt(t) - '0'), p == '.' ? null
                    : (double) (p - '0')));
        }
    }

    @Test
    void countsWindowsFoundEventsOutsideAndWindowsMissedPerSeriesInTimeOrder() {
        SparkSession spark = SparkTestSession.get();
        List<Row> rows = new ArrayList<>();
        // a: windows [2,4] and [8,9]; events [1] (outside), [4,5] (overlaps the first window by one row)
        add(rows, "a", "0011100011", "0100110000");
        // b: window [1,2] missed; event [3] outside; a null prediction counts as 0
        add(rows, "b", "0110", ".001");
        // c: one window, found by two events (both inside: no false positive), and one event adjacent to it
        add(rows, "c", "0111110", "1010100");
        Collections.shuffle(rows, new Random(1));
        Dataset<Row> data = spark.createDataFrame(rows, SCHEMA).repartition(3);
        EventEvaluator evaluator = new EventEvaluator().setTimeCol("t").setSeriesCol("id");
        EventEvaluator.Metrics m = evaluator.metrics(data);
        assertEquals(new EventEvaluator.Metrics(2, 3, 2), m);
        assertEquals(2 / 5.0, m.precision(), 1e-12);
        assertEquals(2 / 4.0, m.recall(), 1e-12);
        assertEquals(2 * 0.4 * 0.5 / 0.9, evaluator.evaluate(data), 1e-12);
        assertEquals(0.5, evaluator.setMetricName("eventRecall").evaluate(data), 1e-12);
        // without the series column, the three series run together as one in time order: a different count
        assertEquals(0.0, new EventEvaluator().setTimeCol("t").metrics(spark.createDataFrame(List.of(
                RowFactory.create("x", 0L, 0.0, 0.0)), SCHEMA)).f1());
    }
}
