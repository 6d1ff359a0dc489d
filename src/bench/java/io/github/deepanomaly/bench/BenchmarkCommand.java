package io.github.deepanomaly.bench;

import io.github.deepanomaly.cli.Args;
import io.github.deepanomaly.cli.Command;
import io.github.deepanomaly.cli.Report;
import io.github.deepanomaly.cli.UsageException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.spark.sql.SparkSession;

/**
 * {@code deep-anomaly benchmark --suite NAME ...}: the suites of docs/benchmarks.md, run one after another
 * in this JVM and Spark session. Found by the CLI through ServiceLoader, and so only where the benchmark
 * classes are on the classpath (bin/deep-anomaly puts them there for this command).
 */
public final class BenchmarkCommand implements Command {
    private static final Map<String, Suite> SUITES = new LinkedHashMap<>();

    static {
        for (Suite s : List.of(new QualitySuite(), new OverheadSuite(), new ThroughputSuite(), new ScalingSuite(),
                new ScoringPathsSuite(), new ImagesSuite(), new TimeSeriesSuite(), new ExportSuite(),
                new SubsampleSuite())) {
            SUITES.put(s.name(), s);
        }
    }

    @Override
    public String name() {
        return "benchmark";
    }

    @Override
    public String usage() {
        return SUITES.values().stream().map(s -> "benchmark --suite " + s.name() + " " + s.usage() + " [--output FILE.csv]")
                .collect(Collectors.joining("\n  "));
    }

    @Override
    public String summary() {
        return "measure detection quality against Isolation Forest, training overhead, scoring throughput,"
                + " scaling and, on MNIST, the image detector (docs/benchmarks.md)";
    }

    @Override
    public void run(SparkSession spark, List<String> words, Report report) throws Exception {
        int at = words.indexOf("--suite");
        if (at < 0 || at + 1 >= words.size()) {
            throw new UsageException("Missing --suite; one of " + String.join(", ", SUITES.keySet()));
        }
        Suite suite = SUITES.get(words.get(at + 1));
        if (suite == null) {
            throw new UsageException("Unknown suite '" + words.get(at + 1) + "'; one of " + String.join(", ", SUITES.keySet()));
        }
        Set<String> options = new HashSet<>(suite.options());
        options.add("suite");
        options.add("output");
        Args args = Args.parse(name() + " --suite " + suite.name(), words, options, Set.of());
        Path output = args.has("output") ? Path.of(args.get("output", null)) : null;
        report.figure("suite", suite.name());
        try (Table table = new Table(report, output)) {
            suite.run(spark, args, table, report);
        }
        if (output != null) {
            report.figure("output", output.toString());
        }
    }

    /** A positive whole number option, e.g. --rows. */
    static long positiveLong(Args args, String name, long fallback) {
        String value = args.get(name, null);
        if (value == null) {
            return fallback;
        }
        try {
            long parsed = Long.parseLong(value.replace("_", ""));
            if (parsed > 0) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new UsageException("--" + name + " takes a positive whole number, got '" + value + "'");
    }

    /** A list option of positive whole numbers, e.g. --sizes 10000,100000. */
    static List<Long> positiveLongs(List<String> words, String name) {
        List<Long> values = new java.util.ArrayList<>();
        for (String word : words) {
            try {
                long value = Long.parseLong(word.replace("_", ""));
                if (value > 0) {
                    values.add(value);
                    continue;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new UsageException("--" + name + " takes positive whole numbers separated by commas, got '" + word
                    + "'");
        }
        return values;
    }

    static int positiveInt(Args args, String name, int fallback) {
        long value = positiveLong(args, name, fallback);
        if (value > Integer.MAX_VALUE) {
            throw new UsageException("--" + name + " is too large: " + value);
        }
        return (int) value;
    }
}
