package io.github.deepanomaly;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;

/**
 * What the LSTM tests share: the two-series table they fit on (series 'a' around 10 with its anomaly at step
 * 400, 'b' around −500 at a hundred times the amplitude with its anomaly at 250, 20 steps each), a detector
 * quick enough for the unit suite, and the scores of one series in time order.
 */
final class LstmFixture {
    static final int WINDOW = 24;
    static final int ANOMALY_LENGTH = 20;

    private LstmFixture() {
    }

    /** The two series, cached: every test class fits on it once. */
    static Dataset<Row> twoSeries(SparkSession spark) {
        List<Row> rows = new ArrayList<>(SeriesData.rows("a", 500, anomalyStart("a"), ANOMALY_LENGTH, 10.0, 1.0, 1));
        rows.addAll(SeriesData.rows("b", 500, anomalyStart("b"), ANOMALY_LENGTH, -500.0, 100.0, 2));
        return SeriesData.of(spark, rows).cache();
    }

    /** The first step of the anomaly of series {@code id} of {@link #twoSeries}. */
    static int anomalyStart(String id) {
        return id.equals("a") ? 400 : 250;
    }

    /** A forecaster over consecutive windows of {@link #WINDOW} steps, few epochs, a contamination threshold. */
    static LstmDetector quickDetector() {
        return new LstmDetector().setSeriesCol("id").setWindowSize(WINDOW).setWindowStride(1).setHiddenSize(16).setMaxIter(5)
                .setBatchSize(32).setContamination(0.02).setSmoothingSpan(12).setThresholdMethod("contamination");
    }

    /** Rows of one series, by time: (label, score or NaN when null). */
    static List<double[]> byTime(Dataset<Row> scored, String id) {
        List<double[]> out = new ArrayList<>();
        for (Row r : scored.where(functions.col("id").equalTo(id)).orderBy("timestamp")
                .select("label", "anomalyScore").collectAsList()) {
            out.add(new double[] {r.getDouble(0), r.isNullAt(1) ? Double.NaN : r.getDouble(1)});
        }
        return out;
    }
}
