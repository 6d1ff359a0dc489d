package io.github.deepanomaly;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Bad and unusual input: each refused in one line naming the problem and the fix, or handled as documented. */
class LstmInputTest {
    private static SparkSession spark;
    private static List<Row> clean;
    private static Dataset<Row> withNaN;
    private static LstmDetectorModel model;

    @BeforeAll
    static void fitOnce() {
        spark = SparkTestSession.get();
        clean = SeriesData.rows("a", 150, 100, 10, 0.0, 1.0, 5);
        List<Row> rows = new ArrayList<>(clean);
        Row r = rows.get(60);
        rows.set(60, RowFactory.create(r.get(0), r.get(1), Double.NaN, r.get(3)));
        withNaN = SeriesData.of(spark, rows);
        model = tiny().setHandleInvalid("skip").fit(withNaN);
    }

    static LstmDetector tiny() {
        return new LstmDetector().setWindowSize(8).setWindowStride(1).setHiddenSize(4).setMaxIter(1).setValidationFraction(0);
    }

    private static String message(Runnable r) {
        return assertThrows(IllegalArgumentException.class, r::run).getMessage();
    }

    @Test
    void missingOrMistypedColumnsAreNamed() {
        Dataset<Row> data = SeriesData.of(spark, clean);
        assertTrue(message(() -> tiny().setTimeCol("time").fit(data)).startsWith("Column 'time' not found"));
        String notNumeric = message(() -> tiny().fit(data.withColumn("value", functions.col("value").cast("string"))));
        assertTrue(notNumeric.contains("Value column 'value' must be numeric, but it is string"), notNumeric);
        String badTime = message(() -> tiny().fit(data.withColumn("timestamp", functions.lit("noon"))));
        assertTrue(badTime.contains("must be a timestamp, date or number"), badTime);
        assertTrue(message(() -> model.transform(data.drop("value"))).startsWith("Column 'value' not found"));
    }

    @Test
    void aSeriesShorterThanAWindowIsRefused() {
        String m = message(() -> tiny().fit(SeriesData.of(spark, clean.subList(0, 8))));
        assertTrue(m.contains("has 8 usable rows, fewer than one window ((windowSize - 1) * windowStride + 1 + horizon = 9)"), m);
    }

    @Test
    void duplicateTimestampsAreRefused() {
        List<Row> rows = new ArrayList<>(clean);
        rows.add(clean.get(20));
        String m = message(() -> tiny().fit(SeriesData.of(spark, rows)));
        assertTrue(m.contains("1 rows at a time another row of it already has"), m);
    }

    @Test
    void nanValuesFollowHandleInvalid() {
        String m = message(() -> tiny().fit(withNaN));
        assertTrue(m.startsWith("1 row has no time or a null, NaN or infinite value in value"), m);
        assertEquals(149, model.setHandleInvalid("skip").transform(withNaN).count());
        Dataset<Row> kept = model.copy(new org.apache.spark.ml.param.ParamMap()).setHandleInvalid("keep")
                .transform(withNaN);
        assertEquals(150, kept.count());
        Row nan = kept.where(functions.isnan(functions.col("value"))).first();
        assertTrue(nan.isNullAt(nan.fieldIndex("anomalyScore")));
        // the NaN row is left out of the windows: the row after it still gets a score
        long after = kept.where(functions.col("timestamp").gt(nan.getTimestamp(nan.fieldIndex("timestamp"))))
                .where("anomalyScore IS NULL").count();
        assertEquals(0, after);
    }

    @Test
    void gapsInTimeAreNotFilled() {
        // a window is windowSize consecutive rows, whatever their spacing: dropping rows shifts, not breaks, it
        List<Row> gappy = new ArrayList<>(clean);
        gappy.subList(40, 50).clear();
        Dataset<Row> scored = model.transform(SeriesData.of(spark, gappy));
        assertEquals(140, scored.count());
        assertEquals(8, scored.where("anomalyScore IS NULL").count());
    }

    @Test
    void aSeriesTheModelWasNotFittedOnScoresNull() {
        List<Row> other = new ArrayList<>();
        for (Row r : clean) {
            other.add(RowFactory.create("b", r.get(1), r.get(2), r.get(3)));
        }
        LstmDetectorModel perSeries = model.copy(new org.apache.spark.ml.param.ParamMap()).setSeriesCol("id");
        // fitted without a series column, the model knows the single series "" only
        assertEquals(150, perSeries.transform(SeriesData.of(spark, other)).where("anomalyScore IS NULL").count());
    }

    static Timestamp at(int minute) {
        return new Timestamp(SeriesData.START_MILLIS + 60_000L * minute);
    }
}
