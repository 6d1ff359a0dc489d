package io.github.deepanomaly;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LstmDetectorTest {
    private static final int WINDOW = LstmFixture.WINDOW;
    private static SparkSession spark;
    private static Dataset<Row> series;
    private static LstmDetectorModel model;

    @BeforeAll
    static void fitOnce() {
        spark = SparkTestSession.get();
        series = LstmFixture.twoSeries(spark);
        model = quickDetector().fit(series);
    }

    private static LstmDetector quickDetector() {
        return LstmFixture.quickDetector();
    }

    private static List<double[]> byTime(Dataset<Row> scored, String id) {
        return LstmFixture.byTime(scored, id);
    }

    @Test
    void scoresEveryRowAndPeaksInTheAnomalyOfEachSeries() {
        assertEquals(1, model.numFeatures());
        Dataset<Row> scored = model.transform(series);
        assertEquals(series.count(), scored.count());
        for (String id : List.of("a", "b")) {
            List<double[]> rows = byTime(scored, id);
            for (int t = 0; t < rows.size(); t++) {
                assertEquals(t < WINDOW, Double.isNaN(rows.get(t)[1]), "row " + t + " of " + id);
            }
            int argmax = WINDOW;
            for (int t = WINDOW; t < rows.size(); t++) {
                if (rows.get(t)[1] > rows.get(argmax)[1]) {
                    argmax = t;
                }
            }
            // the smoothed error peaks inside the broken stretch or just after it
            int start = LstmFixture.anomalyStart(id);
            assertTrue(argmax >= start && argmax < start + LstmFixture.ANOMALY_LENGTH + 12,
                    id + ": highest score at " + argmax);
        }
    }

    @Test
    void scoresAreOnOneScaleAcrossSeriesOfDifferentMagnitude() {
        Dataset<Row> scored = model.transform(series).where("label = 0 AND anomalyScore IS NOT NULL");
        Row a = scored.where("id = 'a'").agg(functions.percentile_approx(functions.col("anomalyScore"),
                functions.lit(0.5), functions.lit(10000))).first();
        Row b = scored.where("id = 'b'").agg(functions.percentile_approx(functions.col("anomalyScore"),
                functions.lit(0.5), functions.lit(10000))).first();
        // normalized by each series' own median error: the typical step scores about 0 on both
        assertEquals(0.0, a.getDouble(0), 0.5);
        assertEquals(0.0, b.getDouble(0), 0.5);
    }

    @Test
    void predictionsFlagTheAnomaliesAndExplainTheValueColumn() {
        Dataset<Row> scored = model.setExplanationCol("why").transform(series);
        model.setExplanationCol("");
        // every flagged row lies in a broken stretch or in the smoothed error's tail just after it
        List<Row> flagged = scored.where("prediction = 1").select("id", "timestamp").collectAsList();
        assertTrue(flagged.size() > 0);
        for (Row r : flagged) {
            long step = (r.getTimestamp(1).getTime() - SeriesData.START_MILLIS) / 60_000L;
            int start = LstmFixture.anomalyStart(r.getString(0));
            assertTrue(step >= start && step < start + LstmFixture.ANOMALY_LENGTH + 2 * 12,
                    "flagged step " + step + " of series " + r.getString(0));
        }
        Row explained = scored.where("anomalyScore IS NOT NULL").select("why").first();
        assertEquals("value", explained.getList(0).get(0) instanceof Row r ? r.getString(0) : null);
        assertTrue(scored.where("anomalyScore IS NULL").where("why IS NOT NULL").isEmpty());
    }

    @Test
    void theDynamicThresholdFlagsTheAnomalyOfEachSeriesFromItsOwnErrors() {
        LstmDetectorModel dynamic = quickDetector().setThresholdMethod("dynamic").fit(series);
        assertEquals(0.0, dynamic.getThreshold());
        Dataset<Row> scored = dynamic.transform(series);
        for (String id : List.of("a", "b")) {
            int start = LstmFixture.anomalyStart(id);
            List<Row> flagged = scored.where(functions.col("id").equalTo(id)).where("prediction = 1")
                    .select("timestamp").collectAsList();
            assertTrue(flagged.size() > 0, "nothing flagged in " + id);
            for (Row r : flagged) {
                long step = (r.getTimestamp(0).getTime() - SeriesData.START_MILLIS) / 60_000L;
                assertTrue(step >= start && step < start + LstmFixture.ANOMALY_LENGTH + 2 * 12,
                        "flagged step " + step + " of series " + id);
            }
        }
        // the same network and errors as the contamination model: only the center of the scores moved
        assertEquals(model.seriesStats().get("a").errorScale(), dynamic.seriesStats().get("a").errorScale(), 1e-12);
    }

    @Test
    void thresholdMinDropDecidesWhichSequencesTheDynamicThresholdKeeps() {
        // recalibrating the fitted network (no refit): minDrop 0 keeps every sequence above epsilon, 1 prunes them all
        double[] centers = new double[3];
        double[] drops = {0.0, io.github.deepanomaly.series.DynamicThreshold.DEFAULT_MIN_DROP, 1.0};
        for (int i = 0; i < drops.length; i++) {
            LstmDetectorModel m = model.copy(new org.apache.spark.ml.param.ParamMap()).setThresholdMethod("dynamic")
                    .setThresholdMinDrop(drops[i]);
            centers[i] = m.calibrate(series, 0.02).seriesStats().get("a").errorCenter();
        }
        assertTrue(centers[0] <= centers[1] && centers[1] <= centers[2], java.util.Arrays.toString(centers));
        assertTrue(centers[0] < centers[2], java.util.Arrays.toString(centers));
        assertEquals(io.github.deepanomaly.series.DynamicThreshold.DEFAULT_MIN_DROP,
                new LstmDetector().getThresholdMinDrop());
    }

    @Test
    void inputOrderDoesNotMatter() {
        List<Row> rows = new ArrayList<>(series.collectAsList());
        Collections.shuffle(rows, new Random(3));
        Dataset<Row> shuffled = spark.createDataFrame(rows, series.schema()).repartition(3);
        List<double[]> expected = byTime(model.transform(series), "b");
        List<double[]> actual = byTime(model.transform(shuffled), "b");
        for (int t = 0; t < expected.size(); t++) {
            assertEquals(expected.get(t)[1], actual.get(t)[1], 1e-9, "row " + t);
        }
    }

    @Test
    void pipelineRoundTripScoresIdentically(@TempDir Path dir) throws Exception {
        PipelineModel fitted = new Pipeline().setStages(new PipelineStage[] {quickDetector().setMaxIter(1)})
                .fit(series);
        String path = dir.resolve("lstm").toString();
        fitted.write().overwrite().save(path);
        PipelineModel loaded = PipelineModel.load(path);
        LstmDetectorModel again = (LstmDetectorModel) loaded.stages()[0];
        LstmDetectorModel original = (LstmDetectorModel) fitted.stages()[0];
        assertEquals(original.getThreshold(), again.getThreshold());
        assertEquals(original.seriesStats(), again.seriesStats());
        List<double[]> expected = byTime(fitted.transform(series), "a");
        List<double[]> actual = byTime(loaded.transform(series), "a");
        for (int t = 0; t < expected.size(); t++) {
            assertEquals(expected.get(t)[1], actual.get(t)[1], 1e-12, "row " + t);
        }
        assertNotNull(original.trainingSummary().orElse(null));
        assertNull(again.trainingSummary().orElse(null));
    }
}
