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

/** The timeseries suite end to end on a tiny NAB-style folder: a complete JSON line; no figure asserted. */
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
        Files.writeString(dir.resolve("labels/combined_windows.json"), "{\"cat/one.csv\": [[\""
                + start.plusMinutes(5L * 195).format(TIME) + ".000000\", \"" + start.plusMinutes(5L * 215).format(TIME)
                + ".000000\"]]}");
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
        }
    }
}
