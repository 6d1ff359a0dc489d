package io.github.deepanomaly.cluster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The standalone cluster of deploy/local-cluster.sh (1 master + 2 workers, separate JVMs on 127.0.0.1),
 * started and stopped through that script so the tests use it the way a person would.
 */
final class LocalCluster implements AutoCloseable {
    static final int WORKERS = 2;
    /**
     * For every JVM of the tests: the JIT's first tier only. These JVMs live a minute or two, their heavy
     * lifting is native (ND4J), and on 2 busy cores the optimizing compiler's threads mostly slow start-up.
     */
    static final String SHORT_LIVED_JVM = "-XX:TieredStopAtLevel=1";

    private final Path basedir;
    private final Path dir;
    private final String masterUrl;
    /** Processes this test killed or orphaned itself (a killed worker's executor): ended again on close. */
    private final List<ProcessHandle> leftovers = new ArrayList<>();

    private LocalCluster(Path basedir, Path dir, String masterUrl) {
        this.basedir = basedir;
        this.dir = dir;
        this.masterUrl = masterUrl;
    }

    static LocalCluster start(Path basedir, Path dir) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        List<String> out = script(basedir, dir, "start");
        String url = out.isEmpty() ? "" : out.get(out.size() - 1);
        if (!url.startsWith("spark://127.0.0.1:")) {
            script(basedir, dir, "stop");
            throw new IllegalStateException("local-cluster.sh start printed no master URL; see " + dir);
        }
        return new LocalCluster(basedir, dir, url);
    }

    private static List<String> script(Path basedir, Path dir, String action) throws IOException, InterruptedException {
        Path log = dir.resolve("local-cluster-" + action + ".log");
        ProcessBuilder builder = new ProcessBuilder(basedir.resolve("deploy/local-cluster.sh").toString(), action)
                .redirectError(log.toFile());
        builder.environment().put("LOCAL_CLUSTER_DIR", dir.toString());
        builder.environment().put("LOCAL_CLUSTER_WORKERS", String.valueOf(WORKERS));
        builder.environment().put("SPARK_DAEMON_JAVA_OPTS", SHORT_LIVED_JVM);
        Process process = builder.start();
        List<String> out;
        try (var reader = process.inputReader()) {
            out = reader.lines().toList();
        }
        if (!process.waitFor(5, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new IllegalStateException("local-cluster.sh " + action + " hangs; see " + log);
        }
        if (process.exitValue() != 0) {
            throw new IllegalStateException("local-cluster.sh " + action + " failed; see " + log);
        }
        return out;
    }

    String masterUrl() {
        return masterUrl;
    }

    /** SPARK_HOME for spark-submit: the distribution the script assembled from the Maven classpath. */
    Path sparkHome() {
        return dir.resolve("spark-home");
    }

    /** Where worker {@code i} (1-based) runs its executors: {@code APP_ID/EXECUTOR_ID/} under it. */
    Path workerDir(int i) {
        return dir.resolve("worker-" + i);
    }

    ProcessHandle worker(int i) throws IOException {
        long pid = Long.parseLong(Files.readString(dir.resolve("worker-" + i + ".pid")).trim());
        return ProcessHandle.of(pid).orElseThrow(() -> new IllegalStateException("worker " + i + " is not running"));
    }

    /** SIGKILL to worker {@code i}, as a machine failure would; its executors are left to notice it. */
    void killWorker(int i) throws IOException {
        ProcessHandle worker = worker(i);
        worker.descendants().forEach(leftovers::add);
        worker.destroyForcibly();
        leftovers.add(worker);
    }

    /** Of the processes {@link #killWorker} left behind (its executors), those still alive. */
    List<ProcessHandle> survivorsOfKilledWorkers() {
        return leftovers.stream().filter(ProcessHandle::isAlive).toList();
    }

    @Override
    public void close() throws IOException, InterruptedException {
        try {
            script(basedir, dir, "stop");
        } finally {
            leftovers.forEach(ProcessHandle::destroyForcibly);
        }
    }
}
