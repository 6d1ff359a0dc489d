package io.github.deepanomaly.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A Spark event log (spark.eventLog.enabled): one JSON event per line. Read instead of the REST API of
 * the driver, which is gone when the application ends.
 */
final class EventLog {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A task that finished: where it ran and for which job (by the job's description). */
    record Task(String executorId, String jobDescription, boolean succeeded) {
    }

    private final String appId;
    private final List<JsonNode> events;

    private EventLog(String appId, List<JsonNode> events) {
        this.appId = appId;
        this.events = events;
    }

    /** The log of the one application in {@code dir}, complete or still being written. */
    static EventLog read(Path dir) throws IOException {
        Path file;
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> all = files.toList();
            if (all.size() != 1) {
                throw new IllegalStateException("expected one event log in " + dir + ", found " + all);
            }
            file = all.get(0);
        }
        List<JsonNode> events = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            try {
                events.add(JSON.readTree(line));
            } catch (IOException e) {
                break; // the last line of a log still being written may be cut
            }
        }
        return new EventLog(file.getFileName().toString().replace(".inprogress", ""), events);
    }

    /** The log in {@code dir} if there is one yet; rethrows nothing, for polling. */
    static EventLog readIfPresent(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.findAny().isPresent() ? read(dir) : null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String appId() {
        return appId;
    }

    List<String> jobDescriptions() {
        return events.stream().filter(e -> e.path("Event").asText().equals("SparkListenerJobStart"))
                .map(e -> e.path("Properties").path("spark.job.description").asText(""))
                .toList();
    }

    List<Task> tasks() {
        Map<Integer, String> jobOfStage = new HashMap<>();
        for (JsonNode e : events) {
            if (e.path("Event").asText().equals("SparkListenerJobStart")) {
                String description = e.path("Properties").path("spark.job.description").asText("");
                e.path("Stage IDs").forEach(stage -> jobOfStage.put(stage.asInt(), description));
            }
        }
        return events.stream().filter(e -> e.path("Event").asText().equals("SparkListenerTaskEnd"))
                .map(e -> new Task(e.path("Task Info").path("Executor ID").asText(),
                        jobOfStage.getOrDefault(e.path("Stage ID").asInt(), ""),
                        e.path("Task End Reason").path("Reason").asText().equals("Success")))
                .toList();
    }

    /** Executors the application lost (their worker died, or they did). */
    List<String> removedExecutors() {
        return events.stream().filter(e -> e.path("Event").asText().equals("SparkListenerExecutorRemoved"))
                .map(e -> e.path("Executor ID").asText()).toList();
    }
}
