package io.github.deepanomaly;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.execution.streaming.MemoryStream;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;
import scala.Option;
import scala.collection.JavaConverters;

class LstmStreamingTest {

    @ParameterizedTest
    @ValueSource(strings = {"forecast", "reconstruct"})
    void aStreamFedInMicroBatchesGetsTheBatchScores(String method, @TempDir Path dir) throws Exception {
        SparkSession spark = SparkTestSession.get();
        List<Row> a = SeriesData.rows("a", 300, 200, 15, 0.0, 1.0, 11);
        List<Row> b = SeriesData.rows("b", 300, 120, 15, 50.0, 5.0, 12);
        List<Row> all = new ArrayList<>(a);
        all.addAll(b);
        Dataset<Row> batch = SeriesData.of(spark, all);
        LstmDetectorModel model = new LstmDetector().setSeriesCol("id").setWindowSize(12).setWindowStride(1).setHiddenSize(8)
                .setMaxIter(2).setExplanationCol("why").setThresholdMethod("dynamic").setMethod(method).fit(batch);
        assertEquals(0.0, model.getThreshold());
        // both series have a cycle (24 steps): the stream carries the seasonal history across micro-batches too
        assertEquals(SeriesData.PERIOD, model.seriesStats().get("a").period());
        assertEquals(SeriesData.PERIOD, model.seriesStats().get("b").period());
        // a network this small and short-trained may leave nothing above a series' dynamic threshold: to
        // compare predictions, move the threshold (in IQRs from each series' own) to where the batch flags about
        // 5 %, midway in a gap between two scores (the stream's scores may differ from the batch's in float noise)
        double[] sorted = model.transform(batch).where("anomalyScore IS NOT NULL").select("anomalyScore")
                .as(Encoders.DOUBLE()).collectAsList().stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int k = (int) (0.95 * sorted.length);
        while (sorted[k + 1] - sorted[k] < 1e-3) {
            k++;
        }
        model.setThreshold((sorted[k] + sorted[k + 1]) / 2);
        Map<String, Double> expected = scores(model.transform(batch));

        MemoryStream<Row> input = new MemoryStream<>(1, spark.sqlContext(), Option.apply(2),
                Encoders.row(SeriesData.SCHEMA));
        StreamingQuery query = model.transform(input.toDF()).writeStream().format("memory")
                .queryName("lstm_stream_" + method).outputMode("append")
                .option("checkpointLocation", dir.resolve("checkpoint").toString()).start();
        long start = System.nanoTime();
        // five micro-batches, each the next stretch of time of both series, one of them cutting a window in two
        int[] cuts = {0, 7, 60, 150, 230, 300};
        for (int i = 0; i + 1 < cuts.length; i++) {
            List<Row> micro = new ArrayList<>(a.subList(cuts[i], cuts[i + 1]));
            micro.addAll(b.subList(cuts[i], cuts[i + 1]));
            input.addData(JavaConverters.asScalaBuffer(micro).toSeq());
            query.processAllAvailable();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        query.stop();
        Map<String, Double> streamed = scores(spark.table("lstm_stream_" + method));
        System.out.printf("LstmStreamingTest (%s): %d rows in 5 micro-batches, %.0f rows/s%n", method, all.size(),
                all.size() / seconds);
        assertEquals(expected.size(), streamed.size());
        int scored = 0;
        for (Map.Entry<String, Double> e : expected.entrySet()) {
            Double s = streamed.get(e.getKey());
            if (e.getValue() == null) {
                assertEquals(null, s, e.getKey());
            } else {
                scored++;
                assertEquals(e.getValue(), s, 1e-4 * Math.max(1, Math.abs(e.getValue())), e.getKey());
            }
        }
        // the first row with a score: after a full window (forecast), at the end of one (reconstruct)
        assertEquals(2 * (300 - (method.equals("forecast") ? 12 : 11)), scored);
        // the per-series dynamic thresholds live in the model's series statistics: the stream flags the same rows
        Map<String, Double> flagged = predictions(model.transform(batch));
        assertTrue(flagged.values().stream().filter(p -> p != null && p == 1.0).count() >= 20);
        assertEquals(flagged, predictions(spark.table("lstm_stream_" + method)));
        assertTrue(spark.table("lstm_stream_" + method).columns().length == batch.columns().length + 3);
    }

    private static Map<String, Double> predictions(Dataset<Row> scored) {
        Map<String, Double> out = new HashMap<>();
        for (Row r : scored.select("id", "timestamp", "prediction").collectAsList()) {
            out.put(r.getString(0) + "@" + r.getTimestamp(1), r.isNullAt(2) ? null : r.getDouble(2));
        }
        return out;
    }

    private static Map<String, Double> scores(Dataset<Row> scored) {
        Map<String, Double> out = new HashMap<>();
        for (Row r : scored.select("id", "timestamp", "anomalyScore").collectAsList()) {
            out.put(r.getString(0) + "@" + r.getTimestamp(1), r.isNullAt(2) ? null : r.getDouble(2));
        }
        return out;
    }
}
