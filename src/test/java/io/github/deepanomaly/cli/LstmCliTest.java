package io.github.deepanomaly.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.deepanomaly.SparkTestSession;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** train / evaluate / score of a series model through the command line, on a NAB-style file and windows. */
class LstmCliTest {
    @TempDir
    static Path dir;
    private static Path csv;
    private static Path windows;
    private static final java.time.format.DateTimeFormatter TIME =
            java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    /** A sine of period 24 five-minute steps; 20 steps from step 300 run it backwards (the labelled window). */
    @BeforeAll
    static void writeData() throws Exception {
        SparkTestSession.get();
        Random random = new Random(3);
        List<String> lines = new ArrayList<>(List.of("timestamp,value"));
        java.time.LocalDateTime start = java.time.LocalDateTime.of(2014, 4, 1, 0, 0);
        for (int t = 0; t < 400; t++) {
            double phase = t >= 300 && t < 320 ? -t : t;
            lines.add(String.format(Locale.ROOT, "%s,%f", start.plusMinutes(5L * t).format(TIME),
                    10 + Math.sin(2 * Math.PI * phase / 24) + 0.05 * random.nextGaussian()));
        }
        Files.createDirectories(dir.resolve("data/synthetic"));
        csv = Files.write(dir.resolve("data/synthetic/wave.csv"), lines);
        windows = Files.writeString(dir.resolve("combined_windows.json"), "{\"synthetic/wave.csv\": [[\""
                + start.plusMinutes(5L * 300).format(TIME) + ".000000\", \""
                + start.plusMinutes(5L * 319).format(TIME) + ".000000\"]]}");
    }

    @Test
    void trainsEvaluatesAndScoresASeries() throws Exception {
        String model = dir.resolve("model").toString();
        CliTest.Run train = CliTest.cli("train", "--detector", "lstm", "--input", csv.toString(), "--model", model,
                "--time-col", "timestamp", "--value-cols", "value", "--set", "windowSize=12", "--set", "windowStride=1", "--set", "hiddenSize=8",
                "--set", "maxIter=3", "--set", "contamination=0.02", "--set", "smoothingSpan=12",
                "--set", "thresholdMethod=contamination");
        assertEquals(0, train.code(), train.err());
        assertEquals(400, train.json().get("rows").asLong());

        CliTest.Run evaluate = CliTest.cli("evaluate", "--model", model, "--input", csv.toString(), "--windows",
                windows.toString());
        assertEquals(0, evaluate.code(), evaluate.err());
        JsonNode figures = evaluate.json();
        assertTrue(figures.get("aucRoc").asDouble() > 0.5, evaluate.out());
        assertEquals(1.0, figures.get("eventRecall").asDouble(), evaluate.out());
        assertTrue(evaluate.out().contains("events          precision"));
        assertEquals(0, figures.get("falseNegatives").asInt(), evaluate.out());

        // a series no window covers: no point metrics, its false events still counted (exit 0, not an error)
        Path none = Files.writeString(dir.resolve("no_windows.json"), "{\"synthetic/wave.csv\": []}");
        CliTest.Run quiet = CliTest.cli("evaluate", "--model", model, "--input", csv.toString(), "--windows",
                none.toString());
        assertEquals(0, quiet.code(), quiet.err());
        JsonNode quietFigures = quiet.json();
        assertTrue(quietFigures.get("eventF1").isNull() && !quietFigures.has("aucRoc"), quiet.out());
        assertTrue(quietFigures.get("falsePositives").asInt() >= figures.get("falsePositives").asInt() + 1,
                "the window's event now counts as a false one: " + quiet.out());
        assertTrue(quiet.out().contains("point metrics (AUC-ROC, AUC-PR, F1) are undefined"), quiet.out());

        String scored = dir.resolve("scored").toString();
        CliTest.Run score = CliTest.cli("score", "--model", model, "--input", csv.toString(), "--output", scored,
                "--format", "csv", "--explain", "1");
        assertEquals(0, score.code(), score.err());
        assertEquals(400, score.json().get("rows").asLong());
    }

    @Test
    void badSeriesInputIsOneLineAndExitTwo() {
        CliTest.Run run = CliTest.cli("train", "--detector", "lstm", "--input", csv.toString(), "--model",
                dir.resolve("bad").toString(), "--time-col", "time");
        assertEquals(2, run.code());
        assertTrue(run.err().contains("Column 'time' not found"), run.err());
        assertFalse(run.err().contains("\tat "), run.err());
        CliTest.Run shortSeries = CliTest.cli("train", "--detector", "lstm", "--input", csv.toString(), "--model",
                dir.resolve("bad2").toString(), "--set", "windowSize=500");
        assertEquals(2, shortSeries.code());
        assertTrue(shortSeries.err().contains("fewer than one window"), shortSeries.err());
        CliTest.Run badMethod = CliTest.cli("train", "--detector", "lstm", "--input", csv.toString(), "--model",
                dir.resolve("bad3").toString(), "--set", "method=autoencode");
        assertEquals(2, badMethod.code());
        assertTrue(badMethod.err().contains("method") && badMethod.err().contains("autoencode"), badMethod.err());
        assertFalse(badMethod.err().contains("\tat "), badMethod.err());
    }
}
