package io.github.deepanomaly.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.deepanomaly.SparkTestSession;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The timeseries suite end to end on a tiny NAB-style folder: a complete JSON line; no figure asserted but
 * what a category without labelled windows (NAB's artificialNoAnomaly) must report.
 */
class TimeSeriesBenchmarkCliTest {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    @Test
    void reportsEventFiguresPerCategoryForBothDetectors(@TempDir Path dir) throws Exception {
        SparkTestSession.get();
        Random random = new Random(2);
        LocalDateTime start = LocalDateTime.of(2014, 4, 1, 0, 0);
        List<String> lines = new ArrayList<>(List.of("timestamp,value"));
        for (int t = 0; t < 300; t++) {
            lines.add(String.format(Locale.ROOT, "%s,%f", start.plusMinutes(5L * t).format(TIME),
                    (t >= 200 && t < 210 ? 5 : 0) + Math.sin(t / 4.0) + 0.1 * random.nextGaussian()));
        }
        Files.createDirectories(dir.resolve("data/cat"));
        Files.createDirectories(dir.resolve("labels"));
        Files.write(dir.resolve("data/cat/one.csv"), lines);
        Files.createDirectories(dir.resolve("data/quiet"));
        List<String> quiet = new ArrayList<>(List.of("timestamp,value"));
        for (int t = 0; t < 300; t++) {
            quiet.add(String.format(Locale.ROOT, "%s,%f", start.plusMinutes(5L * t).format(TIME),
                    Math.sin(t / 4.0) + 0.1 * random.nextGaussian()));
        }
        Files.write(dir.resolve("data/quiet/none.csv"), quiet);
        Files.writeString(dir.resolve("labels/combined_windows.json"), "{\"cat/one.csv\": [[\""
                + start.plusMinutes(5L * 195).format(TIME) + ".000000\", \"" + start.plusMinutes(5L * 215).format(TIME)
                + ".000000\"]], \"quiet/none.csv\": []}");
        CliTest.Run run = CliTest.cli("benchmark", "--suite", "timeseries", "--data", dir.toString(), "--set",
                "windowSize=8", "--set", "windowStride=1", "--set", "maxIter=1", "--set", "hiddenSize=4");
        assertEquals(0, run.code(), run.err());
        JsonNode json = run.json();
        JsonNode category = json.get("categories").get("cat");
        assertEquals(1, category.get("series").asInt());
        for (String detector : List.of("lstm", "zscore")) {
            for (String figure : List.of("eventPrecision", "eventRecall", "eventF1", "pointAucRoc", "fitSeconds")) {
                assertTrue(category.get(detector).has(figure), detector + " " + figure + ": " + json);
            }
            assertTrue(json.get("meanEventF1").has(detector));
            JsonNode none = json.get("categories").get("quiet").get(detector);
            assertTrue(none.get("eventF1").isNull() && none.get("pointAucRoc").isNull(), none.toString());
            assertEquals(0, none.get("truePositives").asInt() + none.get("falseNegatives").asInt(), none.toString());
            assertTrue(none.get("falsePositives").asInt() >= 0, none.toString());
            assertEquals(category.get(detector).get("eventF1").asDouble(), json.get("meanEventF1").get(detector).asDouble(),
                    "a category without windows is left out of the mean");
        }
        assertTrue(run.out().contains("quiet, lstm: no labelled window;"), run.out());
    }
}
