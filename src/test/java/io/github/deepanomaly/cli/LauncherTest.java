package io.github.deepanomaly.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a user of bin/deep-anomaly sees on stderr: the real launcher, its conf/log4j2.properties and
 * conf/spark-defaults.conf, in a JVM of its own (the Spark of the other tests has long started and logged
 * what it logs once). It runs on this test's class path (DEEP_ANOMALY_CLASSPATH) instead of building.
 */
class LauncherTest {
    private static final Path HOME = Path.of("").toAbsolutePath();

    @TempDir
    static Path dir;

    record Run(int code, String out, String err) {
    }

    static Run launch(String... argv) throws IOException, InterruptedException {
        List<String> line = new ArrayList<>(List.of(HOME.resolve("bin/deep-anomaly").toString()));
        line.addAll(List.of(argv));
        ProcessBuilder builder = new ProcessBuilder(line).redirectOutput(dir.resolve("out.txt").toFile()).redirectError(dir.resolve("err.txt").toFile());
        builder.environment().put("DEEP_ANOMALY_CLASSPATH", System.getProperty("java.class.path"));
        builder.environment().put("DEEP_ANOMALY_JAVA_OPTS", "-Xmx1g -XX:TieredStopAtLevel=1");
        builder.environment().remove("SPARK_LOCAL_IP");
        Process process = builder.start();
        assertTrue(process.waitFor(5, TimeUnit.MINUTES), "bin/deep-anomaly still running after 5 minutes");
        return new Run(process.exitValue(), Files.readString(dir.resolve("out.txt")),
                Files.readString(dir.resolve("err.txt")));
    }

    /**
     * A NaN in the input: one line, in the input's own terms; not Spark ML's ERROR log of the same failure with
     * its stack trace before it, nor, on the embedded master, the warnings about the host's address (which
     * --verbose shows, where the host name resolves to a loopback address).
     */
    @Test
    void aBadRowPrintsOneLineAndNothingElse() throws Exception {
        Path csv = dir.resolve("nan.csv");
        List<String> lines = new ArrayList<>(List.of("x,y,label"));
        for (int i = 0; i < 40; i++) {
            lines.add(i == 3 ? "3,NaN,0" : i + "," + (2 * i) + ",0");
        }
        Files.write(csv, lines);
        String model = dir.resolve("model").toString();
        Run run = launch("train", "--input", csv.toString(), "--model", model, "--label-col", "label");
        assertEquals(Main.USAGE_ERROR, run.code(), run.err());
        assertEquals(List.of("error: 1 row has an empty, NaN or infinite value in the feature columns (x, y); the first:"
                + " x=3, y=NaN; fix the data, or pass --set handleInvalid=skip to train without such rows"),
                run.err().lines().toList());

        if (InetAddress.getLocalHost().isLoopbackAddress()) {
            Run verbose = launch("--verbose", "train", "--input", csv.toString(), "--model", model, "--label-col",
                    "label");
            assertEquals(Main.USAGE_ERROR, verbose.code(), verbose.err());
            assertTrue(verbose.err().contains("resolves to a loopback address"), verbose.err());
            assertTrue(verbose.err().contains("\tat "), "--verbose has the stack trace");
        }
    }

    /**
     * The launcher's Maven (its first build) writes no escape codes: Debian's Maven 3.8 writes colour resets
     * even in batch mode. Every Maven call of the launcher goes through its maven function, run here alone.
     */
    @Test
    void theBuildWritesNoEscapeCodes() throws Exception {
        String launcher = Files.readString(HOME.resolve("bin/deep-anomaly"));
        long mavenCalls = launcher.lines().filter(l -> l.matches(".*\\bmvn\\b.*") && !l.trim().startsWith("#")).count();
        assertEquals(1, mavenCalls, "one mvn call, in maven()");
        Process process = new ProcessBuilder("bash", "-c",
                "set -euo pipefail; home=\"$1\"; eval \"$(sed -n '/^maven() {/,/^}/p' \"$1/bin/deep-anomaly\")\";"
                        + " maven validate", "bash", HOME.toString())
                .redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(3, TimeUnit.MINUTES));
        assertEquals(0, process.exitValue(), output);
        assertFalse(output.contains("\u001b"), "escape codes: " + output.replace("\u001b", "ESC"));
    }
}
