package io.github.deepanomaly;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.deepanomaly.series.SeriesStats;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The seasonal error (seasonalCycles): each series' period found at fit time, kept, and what it adds to a score. */
class LstmSeasonalTest {
    private static final int PERIOD = 24;
    private static final int CALM_START = 600;
    private static final int CALM_LENGTH = 2 * PERIOD;
    private static SparkSession spark;
    private static Dataset<Row> data;
    private static LstmDetectorModel model;

    /**
     * Series 'd': a sine of period 24 whose amplitude halves for two cycles from step 600 (a calmer stretch,
     * no value out of range); series 'n': noise around a level, no cycle.
     */
    @BeforeAll
    static void fitOnce() {
        spark = SparkTestSession.get();
        Random random = new Random(21);
        List<Row> rows = new ArrayList<>();
        for (int t = 0; t < 720; t++) {
            boolean calm = t >= CALM_START && t < CALM_START + CALM_LENGTH;
            double value = 10 + (calm ? 0.5 : 1.0) * Math.sin(2 * Math.PI * t / PERIOD) + 0.05 * random.nextGaussian();
            rows.add(RowFactory.create("d", new Timestamp(SeriesData.START_MILLIS + 60_000L * t), value, calm ? 1.0 : 0.0));
        }
        for (int t = 0; t < 400; t++) {
            rows.add(RowFactory.create("n", new Timestamp(SeriesData.START_MILLIS + 60_000L * t), random.nextGaussian(), 0.0));
        }
        data = SeriesData.of(spark, rows).cache();
        model = detector().fit(data);
    }

    private static LstmDetector detector() {
        return new LstmDetector().setSeriesCol("id").setWindowSize(12).setWindowStride(2).setHiddenSize(8).setMaxIter(3)
                .setSmoothingSpan(12).setSeasonalSmoothingSpan(6);
    }

    @Test
    void eachSeriesGetsItsOwnPeriodAndErrorMeansFromTheTrainingRows() {
        SeriesStats d = model.seriesStats().get("d");
        SeriesStats n = model.seriesStats().get("n");
        assertEquals(PERIOD, d.period());
        assertEquals(LstmParamSet.DEFAULT_SEASONAL_CYCLES, d.cycles());
        assertTrue(d.forecastErrorMean() > 0 && d.seasonalErrorMean() > 0, d.toString());
        assertTrue(d.seasonal());
        assertEquals(0, n.period());
        assertEquals(0.0, n.seasonalErrorMean());
    }

    @Test
    void theCalmerCyclesScoreAboveEveryOtherStepOfTheirSeries() {
        List<double[]> scored = LstmFixture.byTime(model.transform(data), "d");
        double inside = Double.NEGATIVE_INFINITY;
        double outside = Double.NEGATIVE_INFINITY;
        for (double[] r : scored) {
            if (!Double.isNaN(r[1])) {
                if (r[0] == 1.0) {
                    inside = Math.max(inside, r[1]);
                } else {
                    outside = Math.max(outside, r[1]);
                }
            }
        }
        assertTrue(inside > outside, "highest score inside " + inside + ", outside " + outside);
    }

    @Test
    void seasonalCyclesZeroScoresByTheForecastErrorAlone() {
        LstmDetectorModel plain = detector().setSeasonalCycles(0).fit(data);
        assertEquals(0, plain.seriesStats().get("d").period());
        assertTrue(!plain.seriesStats().get("d").seasonal());
        // the same network (same seed, same windows): only the error differs
        List<double[]> with = LstmFixture.byTime(model.transform(data), "d");
        List<double[]> without = LstmFixture.byTime(plain.transform(data), "d");
        assertNotEquals(with.get(CALM_START + 10)[1], without.get(CALM_START + 10)[1]);
        List<double[]> noise = LstmFixture.byTime(model.transform(data), "n");
        List<double[]> noisePlain = LstmFixture.byTime(plain.transform(data), "n");
        for (int t = 0; t < noise.size(); t++) {
            assertEquals(noisePlain.get(t)[1], noise.get(t)[1], 1e-9, "row " + t + " of the series without a period");
        }
    }

    /** The thresholds were calibrated on the fit's seasonal error: a param set on the fitted model must not change it. */
    @Test
    void aFittedModelKeepsTheCyclesItWasFittedWith() {
        LstmDetectorModel changed = model.copy(org.apache.spark.ml.param.ParamMap.empty()).setSeasonalCycles(0);
        assertScoresAsTheModels(changed, "d");
    }

    @Test
    void periodsAndErrorMeansSurviveSaveAndLoad(@TempDir Path dir) throws Exception {
        String path = dir.resolve("model").toString();
        model.write().overwrite().save(path);
        LstmDetectorModel loaded = LstmDetectorModel.load(path);
        assertEquals(model.seriesStats(), loaded.seriesStats());
        assertEquals(model.getSeasonalCycles(), loaded.getSeasonalCycles());
        assertEquals(model.getSeasonalSmoothingSpan(), loaded.getSeasonalSmoothingSpan());
        assertScoresAsTheModels(loaded, "d");
    }

    @Test
    void aModelSavedBeforeTheSeasonalErrorLoadsWithoutOne(@TempDir Path dir) throws Exception {
        String path = dir.resolve("model").toString();
        model.write().overwrite().save(path);
        // the series file as models saved before the seasonal error wrote it: no period, no error means
        Path file;
        try (java.util.stream.Stream<Path> files = java.nio.file.Files.walk(dir)) {
            file = files.filter(f -> f.getFileName().toString().equals("series.json")).findFirst().orElseThrow();
        }
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        com.fasterxml.jackson.databind.JsonNode saved = json.readTree(file.toFile());
        saved.get("series").forEach(s -> ((com.fasterxml.jackson.databind.node.ObjectNode) s)
                .remove(List.of("period", "cycles", "forecastErrorMean", "seasonalErrorMean")));
        json.writeValue(file.toFile(), saved);
        java.nio.file.Files.deleteIfExists(file.resolveSibling(".series.json.crc"));
        LstmDetectorModel old = LstmDetectorModel.load(path);
        assertEquals(0, old.seriesStats().get("d").period());
        assertTrue(!old.seriesStats().get("d").seasonal());
        assertEquals(model.seriesStats().get("d").errorCenter(), old.seriesStats().get("d").errorCenter());
        // the series without a period scores as it did
        assertScoresAsTheModels(old, "n");
    }

    @Test
    void badValuesAreRefusedWithOneLine() {
        String cycles = assertThrows(IllegalArgumentException.class, () -> new LstmDetector().setSeasonalCycles(-1))
                .getMessage();
        assertTrue(cycles.contains("seasonalCycles") && !cycles.contains("\n"), cycles);
        String span = assertThrows(IllegalArgumentException.class, () -> new LstmDetector().setSeasonalSmoothingSpan(0))
                .getMessage();
        assertTrue(span.contains("seasonalSmoothingSpan") && !span.contains("\n"), span);
    }

    /** {@code other} scores every row of {@code series} as the fitted {@link #model} does. */
    private static void assertScoresAsTheModels(LstmDetectorModel other, String series) {
        List<double[]> expected = LstmFixture.byTime(model.transform(data), series);
        List<double[]> actual = LstmFixture.byTime(other.transform(data), series);
        assertEquals(expected.size(), actual.size());
        for (int t = 0; t < expected.size(); t++) {
            assertEquals(expected.get(t)[1], actual.get(t)[1], 1e-12, "row " + t + " of series " + series);
        }
    }
}
