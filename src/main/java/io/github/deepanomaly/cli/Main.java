package io.github.deepanomaly.cli;

import io.github.deepanomaly.core.RootCause;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.config.Configurator;
import org.apache.spark.sql.SparkSession;

/**
 * {@code deep-anomaly COMMAND [options]}: runs on an embedded local Spark unless a master is given,
 * either with {@code --master} or by spark-submit (which sets spark.master), so the same main class
 * serves a laptop and a cluster.
 */
public final class Main {
    /** Exit code for a mistake in the input or the options. */
    public static final int USAGE_ERROR = 2;
    /** Exit code for a failure that is not the user's input (a bug, a lost cluster). */
    public static final int FAILURE = 1;

    private static final Map<String, Command> COMMANDS = new LinkedHashMap<>();
    /**
     * Built from src/bench, outside the library jar (it needs the test-scope reference detectors), so it is
     * found through {@link ServiceLoader} and listed only when its classes are on the classpath.
     */
    private static final String BENCHMARK = "benchmark";
    /**
     * Spark ML logs every failed fit at ERROR with its stack trace, before the CLI prints its one line; the
     * stack trace is for --verbose.
     */
    private static final String ML_INSTRUMENTATION = "org.apache.spark.ml.util.Instrumentation";
    /**
     * Warns at start-up where the host name resolves to a loopback address ("Set SPARK_LOCAL_IP ..."), which
     * matters only to executors on other machines.
     */
    private static final String SPARK_UTILS = "org.apache.spark.util.Utils";

    static {
        for (Command c : List.of(new TrainCommand(), new ScoreCommand(), new EvaluateCommand(), new DemoCommand())) {
            COMMANDS.put(c.name(), c);
        }
        for (Command c : ServiceLoader.load(Command.class)) {
            COMMANDS.putIfAbsent(c.name(), c);
        }
    }

    private Main() {
    }

    public static void main(String[] argv) {
        System.exit(run(argv, System.out, System.err));
    }

    /** Runs one command; returns the exit code instead of exiting, so tests can call it in-process. */
    public static int run(String[] argv, PrintStream out, PrintStream err) {
        List<String> words = new ArrayList<>(List.of(argv));
        String master = takeOption(words, "--master");
        boolean verbose = words.remove("--verbose");
        if (words.isEmpty() || words.get(0).equals("help") || words.get(0).equals("--help")) {
            printHelp(out);
            return words.isEmpty() ? USAGE_ERROR : 0;
        }
        Command command = COMMANDS.get(words.get(0));
        if (command == null && words.get(0).equals(BENCHMARK)) {
            err.println("error: the benchmark command is not on this classpath: it is built from src/bench with the"
                    + " test-scope dependencies; run it from a source checkout as 'bin/deep-anomaly benchmark ...'"
                    + " (docs/benchmarks.md)");
            return USAGE_ERROR;
        }
        if (command == null) {
            err.println("error: unknown command '" + words.get(0) + "'; commands: " + String.join(", ", COMMANDS.keySet()));
            return USAGE_ERROR;
        }
        if (master != null && !master.startsWith("local") && System.getProperty("spark.jars") == null) {
            err.println("error: the executors of --master " + master + " need this project's classes, and nothing"
                    + " ships them: run through bin/deep-anomaly, which sends target/spark-deep-anomaly-assembly.jar"
                    + " (spark.jars), or deploy/submit-standalone.sh");
            return USAGE_ERROR;
        }
        if (verbose) {
            Configurator.setRootLevel(Level.INFO);
        } else {
            Configurator.setLevel(ML_INSTRUMENTATION, Level.OFF);
        }
        try {
            SparkSession spark = session(master, verbose);
            Report report = new Report(out, err);
            command.run(spark, words.subList(1, words.size()), report);
            report.finish();
            return 0;
        } catch (UsageException e) {
            err.println("error: " + e.getMessage());
            return USAGE_ERROR;
        } catch (Exception e) {
            Throwable cause = RootCause.of(e);
            if (verbose) {
                e.printStackTrace(err);
            }
            // our own validation errors surface as IllegalArgumentException, also from inside Spark tasks
            if (cause instanceof IllegalArgumentException) {
                err.println("error: " + cause.getMessage());
                return USAGE_ERROR;
            }
            err.println("error: " + cause.getClass().getSimpleName() + ": " + cause.getMessage()
                    + (verbose ? "" : " (run with --verbose for details)"));
            return FAILURE;
        }
    }

    private static SparkSession session(String master, boolean verbose) {
        // SparkConf reads every spark.* system property (spark-submit passes its settings so); not created here,
        // as the first one logs the warnings about the host's address
        String chosen = master != null ? master : System.getProperty("spark.master", "local[*]");
        SparkSession.Builder builder = SparkSession.builder().appName("deep-anomaly").master(chosen);
        if (verbose || !chosen.startsWith("local")) {
            return builder.getOrCreate();
        }
        // embedded: the driver and its executors are one JVM, the warnings about addresses do not apply
        Level level = LogManager.getLogger(SPARK_UTILS).getLevel();
        Configurator.setLevel(SPARK_UTILS, Level.ERROR);
        try {
            return builder.getOrCreate();
        } finally {
            Configurator.setLevel(SPARK_UTILS, level);
        }
    }

    private static String takeOption(List<String> words, String name) {
        int i = words.indexOf(name);
        if (i < 0 || i + 1 >= words.size()) {
            return null;
        }
        String value = words.get(i + 1);
        words.subList(i, i + 2).clear();
        return value;
    }

    private static void printHelp(PrintStream out) {
        out.println("usage: deep-anomaly [--master URL] [--verbose] COMMAND [options]");
        out.println();
        for (Command c : COMMANDS.values()) {
            out.println("  " + c.usage());
            out.println("      " + c.summary());
        }
        out.println();
        out.println("Without --master (and outside spark-submit) Spark runs embedded as local[*].");
        out.println("The last line printed by a command is one JSON object with its figures.");
    }
}
