package io.github.deepanomaly.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One deep-anomaly command submitted by deploy/submit-standalone.sh, which runs Spark's launcher and then
 * org.apache.spark.deploy.SparkSubmit as its own JVM (client mode: that JVM is the driver), with the
 * assembly jar. Each submission gets its own event log directory.
 */
final class Submission implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long TIMEOUT_MINUTES = 8;

    private final Process process;
    private final Path stdout;
    private final Path stderr;
    private final Path eventLogDir;

    private Submission(Process process, Path stdout, Path stderr, Path eventLogDir) {
        this.process = process;
        this.stdout = stdout;
        this.stderr = stderr;
        this.eventLogDir = eventLogDir;
    }

    /**
     * Sized for 2 workers of 1 core: one 1-core executor on each, at most 2 cores in all (the driver
     * waits for both before it schedules anything), 1 GB heap and 1 GB for ND4J off the heap.
     */
    static Submission start(Path basedir, LocalCluster cluster, Path workDir, String name, List<String> command)
            throws IOException {
        Path eventLogDir = Files.createDirectories(workDir.resolve(name + "-eventlog"));
        List<String> line = new ArrayList<>(List.of(basedir.resolve("deploy/submit-standalone.sh").toString(),
                cluster.masterUrl(),
                "--conf", "spark.eventLog.enabled=true",
                "--conf", "spark.eventLog.dir=" + eventLogDir.toUri(),
                // no driver web UI: the event log says what ran where, and the machine may be shared
                "--conf", "spark.ui.enabled=false",
                "--conf", "spark.driver.defaultJavaOptions=" + LocalCluster.SHORT_LIVED_JVM,
                "--conf", "spark.executor.defaultJavaOptions=" + LocalCluster.SHORT_LIVED_JVM,
                "--"));
        line.addAll(command);
        ProcessBuilder builder = new ProcessBuilder(line)
                .redirectOutput(workDir.resolve(name + ".out").toFile())
                .redirectError(workDir.resolve(name + ".err").toFile());
        Map<String, String> env = builder.environment();
        env.put("SPARK_HOME", cluster.sparkHome().toString());
        env.put("SPARK_LOCAL_IP", "127.0.0.1");
        env.put("EXECUTOR_CORES", "1");
        env.put("TOTAL_EXECUTOR_CORES", String.valueOf(LocalCluster.WORKERS));
        env.put("EXECUTOR_MEMORY", "1g");
        env.put("ND4J_OFF_HEAP", "1g");
        env.put("DRIVER_MEMORY", "1g");
        return new Submission(builder.start(), workDir.resolve(name + ".out"), workDir.resolve(name + ".err"),
                eventLogDir);
    }

    /** Waits for the command; fails with the end of its stderr when it does not exit with 0. */
    Submission succeed() throws IOException, InterruptedException {
        if (!process.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
            close();
            throw new AssertionError("submission still running after " + TIMEOUT_MINUTES + " min; see " + stderr);
        }
        if (process.exitValue() != 0) {
            throw new AssertionError("submission exited with " + process.exitValue() + "; end of " + stderr + ":\n"
                    + tail(stderr, 40));
        }
        return this;
    }

    /** The figures of the report: the JSON object on the last line of stdout. */
    JsonNode figures() throws IOException {
        List<String> lines = Files.readAllLines(stdout);
        return JSON.readTree(lines.get(lines.size() - 1));
    }

    Path eventLogDir() {
        return eventLogDir;
    }

    /** SIGKILL to the driver JVM (the script execs it, so the process is the JVM itself). */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(1, TimeUnit.MINUTES);
    }

    boolean isAlive() {
        return process.isAlive();
    }

    static String tail(Path file, int lines) throws IOException {
        List<String> all = Files.readAllLines(file);
        return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    }

    /** Stops the driver and anything it started, if the test ended before it did. */
    @Override
    public void close() {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }
}
