package io.github.deepanomaly;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.deepanomaly.nn.LstmReconstructNetwork;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** method = reconstruct: the LSTM autoencoder on the forecaster's path (windows, engine, scoring, persistence). */
class LstmReconstructTest {
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
        return LstmFixture.quickDetector().setMethod("reconstruct").setMaxIter(8);
    }

    @Test
    void scoresEachRowInTheWindowEndingAtItAndPeaksInTheAnomalyOfEachSeries() {
        assertTrue(LstmReconstructNetwork.reconstructs(model.network()));
        Dataset<Row> scored = model.transform(series);
        assertEquals(series.count(), scored.count());
        for (String id : List.of("a", "b")) {
            List<double[]> rows = LstmFixture.byTime(scored, id);
            // the window ends at the row: the first WINDOW - 1 rows have none, one fewer than a forecaster's
            for (int t = 0; t < rows.size(); t++) {
                assertEquals(t < WINDOW - 1, Double.isNaN(rows.get(t)[1]), "row " + t + " of " + id);
            }
            int argmax = WINDOW;
            for (int t = WINDOW; t < rows.size(); t++) {
                if (rows.get(t)[1] > rows.get(argmax)[1]) {
                    argmax = t;
                }
            }
            // the anomaly's 20 steps spoil the code of every window that holds one of them, so rows up to a
            // window after its end are reconstructed badly too (measured: a peaks at 436 on shuffled minibatches)
            int start = LstmFixture.anomalyStart(id);
            assertTrue(argmax >= start && argmax < start + LstmFixture.ANOMALY_LENGTH + WINDOW,
                    id + ": highest score at " + argmax);
        }
    }

    @Test
    void explanationNamesTheValueColumnThatBroke() {
        // two value columns: 'value' breaks in its anomaly, 'steady' is a clean sine throughout
        List<Row> rows = new ArrayList<>();
        for (Row r : SeriesData.rows("a", 400, 300, 20, 0.0, 1.0, 4)) {
            long t = (r.getTimestamp(1).getTime() - SeriesData.START_MILLIS) / 60_000L;
            rows.add(RowFactory.create(r.get(0), r.get(1), r.get(2), r.get(3),
                    Math.cos(2 * Math.PI * t / SeriesData.PERIOD)));
        }
        Dataset<Row> two = spark.createDataFrame(rows, SeriesData.SCHEMA.add("steady", DataTypes.DoubleType, false));
        LstmDetectorModel m = quickDetector().setSeriesCol("").setValueCols("value", "steady").setExplanationCol("why")
                .fit(two);
        Row top = m.transform(two).where("anomalyScore IS NOT NULL").orderBy(functions.desc("anomalyScore"))
                .select("why").first();
        assertEquals("value", ((Row) top.getList(0).get(0)).getString(0));
    }

    @Test
    void pipelineRoundTripKeepsTheMethodAndScoresIdentically(@TempDir Path dir) throws Exception {
        PipelineModel fitted = new Pipeline().setStages(new PipelineStage[] {quickDetector().setMaxIter(1)})
                .fit(series);
        String path = dir.resolve("lstm").toString();
        fitted.write().overwrite().save(path);
        PipelineModel loaded = PipelineModel.load(path);
        LstmDetectorModel again = (LstmDetectorModel) loaded.stages()[0];
        assertEquals("reconstruct", again.getMethod());
        assertTrue(LstmReconstructNetwork.reconstructs(again.network()));
        assertEquals(((LstmDetectorModel) fitted.stages()[0]).seriesStats(), again.seriesStats());
        List<double[]> expected = LstmFixture.byTime(fitted.transform(series), "a");
        List<double[]> actual = LstmFixture.byTime(loaded.transform(series), "a");
        for (int t = 0; t < expected.size(); t++) {
            assertEquals(expected.get(t)[1], actual.get(t)[1], 1e-12, "row " + t);
        }
    }

    @Test
    void badInputGetsOneClearLine() {
        String mismatch = assertThrows(IllegalArgumentException.class,
                () -> model.copy(new org.apache.spark.ml.param.ParamMap()).setMethod("forecast").transform(series))
                .getMessage();
        assertEquals("method is 'forecast' but the model's network was trained with method 'reconstruct'; a model"
                + " scores with its own method: refit to change it", mismatch);
        String shortSeries = assertThrows(IllegalArgumentException.class, () -> quickDetector().setSeriesCol("")
                .fit(SeriesData.of(spark, SeriesData.rows("a", WINDOW - 1, 0, 0, 0.0, 1.0, 1)))).getMessage();
        assertTrue(shortSeries.contains("has 23 usable rows, fewer than one window ((windowSize - 1) * windowStride + 1"
                + " = 24)"), shortSeries);
        assertThrows(IllegalArgumentException.class, () -> quickDetector().setMethod("autoencode"));
    }
}
