package io.github.deepanomaly.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What a command tells its user on stdout: readable lines, then as the very last line one JSON object
 * with the figures, for scripts (`... | tail -1 | jq`); and notes on stderr, lines about the input that
 * the user should read but that are not results.
 */
public final class Report {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final PrintStream out;
    private final PrintStream err;
    private final Map<String, Object> figures = new LinkedHashMap<>();

    public Report(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    /** One line {@code note: TEXT} on stderr. */
    public void note(String text) {
        err.println("note: " + text);
    }

    public Report line(String format, Object... args) {
        out.println(String.format(java.util.Locale.ROOT, format, args));
        return this;
    }

    /** A figure; NaN and infinities become null (JSON has no such numbers), also inside maps and lists. */
    public Report figure(String name, Object value) {
        figures.put(name, finiteOrNull(value));
        return this;
    }

    private static Object finiteOrNull(Object value) {
        if (value instanceof Double d && !Double.isFinite(d)) {
            return null;
        } else if (value instanceof Map<?, ?> map) {
            Map<Object, Object> copy = new LinkedHashMap<>();
            map.forEach((k, v) -> copy.put(k, finiteOrNull(v)));
            return copy;
        } else if (value instanceof List<?> list) {
            return list.stream().map(Report::finiteOrNull).collect(Collectors.toList());
        }
        return value;
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
