package io.github.deepanomaly.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a command tells its user on stdout: readable lines, then as the very last line one JSON object
 * with the figures, for scripts (`... | tail -1 | jq`).
 */
public final class Report {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final PrintStream out;
    private final Map<String, Object> figures = new LinkedHashMap<>();

    public Report(PrintStream out) {
        this.out = out;
    }

    public Report line(String format, Object... args) {
        out.println(String.format(java.util.Locale.ROOT, format, args));
        return this;
    }

    public Report figure(String name, Object value) {
        figures.put(name, value instanceof Double d && !Double.isFinite(d) ? null : value);
        return this;
    }

    public Map<String, Object> figures() {
        return figures;
    }

    /** Prints the JSON line; call last. */
    public void finish() {
        try {
            out.println(JSON.writeValueAsString(figures));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        out.flush();
    }
}
