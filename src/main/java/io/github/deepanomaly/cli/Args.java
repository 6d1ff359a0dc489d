package io.github.deepanomaly.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Command-line options of the form {@code --name value}, {@code --flag} and, where a command takes it,
 * the repeatable {@code --set k=v}; every option a command does not know is an error, so typos never pass silently.
 */
public final class Args {
    private final Map<String, String> values = new LinkedHashMap<>();
    private final List<String> settings = new ArrayList<>();

    private Args() {
    }

    /**
     * @param options options that take a value
     * @param flags   options without a value
     */
    public static Args parse(String command, List<String> words, Set<String> options, Set<String> flags) {
        Args args = new Args();
        for (int i = 0; i < words.size(); i++) {
            String word = words.get(i);
            if (!word.startsWith("--")) {
                throw new UsageException("Unexpected argument '" + word + "' for " + command
                        + "; options start with --, see 'deep-anomaly help'");
            }
            String name = word.substring(2);
            if (flags.contains(name)) {
                args.values.put(name, "true");
            } else if (options.contains(name)) {
                if (i + 1 >= words.size()) {
                    throw new UsageException("Option --" + name + " needs a value");
                }
                String value = words.get(++i);
                if (name.equals("set")) {
                    args.settings.add(value);
                } else {
                    args.values.put(name, value);
                }
            } else {
                List<String> known = new ArrayList<>();
                options.forEach(o -> known.add("--" + o));
                flags.forEach(f -> known.add("--" + f));
                throw new UsageException("Unknown option --" + name + " for " + command + "; known: "
                        + String.join(", ", known.stream().sorted().toList()));
            }
        }
        return args;
    }

    public String required(String name) {
        String value = values.get(name);
        if (value == null) {
            throw new UsageException("Missing --" + name);
        }
        return value;
    }

    public String get(String name, String fallback) {
        return values.getOrDefault(name, fallback);
    }

    public boolean has(String name) {
        return values.containsKey(name);
    }

    public List<String> settings() {
        return settings;
    }

    /** A comma-separated option as a list; empty when absent. */
    public List<String> list(String name) {
        String value = values.get(name);
        if (value == null || value.isBlank()) {
            return List.of();
        }
        return List.of(value.split("\\s*,\\s*"));
    }
}
