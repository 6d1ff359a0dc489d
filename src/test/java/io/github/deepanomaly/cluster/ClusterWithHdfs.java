package io.github.deepanomaly.cluster;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.hdfs.MiniDFSCluster;

/**
 * What the cluster tests run against: a standalone master and its workers as separate JVMs
 * ({@link LocalCluster}), HDFS in this JVM (MiniDFSCluster) holding thyroid at {@link #data()}, and
 * spark-submit submissions of the CLI. Each test class starts its own, since killing a worker is for good.
 */
final class ClusterWithHdfs implements AutoCloseable {
    static final Path BASEDIR = Path.of(System.getProperty("project.basedir", ".")).toAbsolutePath();
    static final String SAMPLE = "/io/github/deepanomaly/demo/thyroid.csv";

    private final Path work;
    private final MiniDFSCluster hdfs;
    private final LocalCluster cluster;
    private final String data;

    private ClusterWithHdfs(Path work, MiniDFSCluster hdfs, LocalCluster cluster, String data) {
        this.work = work;
        this.hdfs = hdfs;
        this.cluster = cluster;
        this.data = data;
    }

    /** Starts both in an emptied {@code target/<workName>}; what started is stopped if the rest fails. */
    static ClusterWithHdfs start(String workName) throws Exception {
        Path work = BASEDIR.resolve("target").resolve(workName);
        deleteRecursively(work);
        Files.createDirectories(work);
        Configuration conf = new Configuration();
        conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, work.resolve("hdfs").toString());
        // MiniDFSCluster binds the name node and the data node to 127.0.0.1, on free ports
        MiniDFSCluster hdfs = new MiniDFSCluster.Builder(conf).numDataNodes(1).build();
        try {
            hdfs.waitActive();
            String data = hdfs.getURI() + "/data/thyroid.csv";
            try (InputStream in = ClusterWithHdfs.class.getResourceAsStream(SAMPLE);
                    OutputStream out = hdfs.getFileSystem().create(new org.apache.hadoop.fs.Path(data))) {
                in.transferTo(out);
            }
            return new ClusterWithHdfs(work, hdfs, LocalCluster.start(BASEDIR, work.resolve("local-cluster")), data);
        } catch (Exception | Error e) {
            hdfs.shutdown(true);
            throw e;
        }
    }

    Path work() {
        return work;
    }

    LocalCluster cluster() {
        return cluster;
    }

    FileSystem fs() throws IOException {
        return hdfs.getFileSystem();
    }

    String hdfsUri() {
        return hdfs.getURI().toString();
    }

    /** thyroid's CSV on HDFS. */
    String data() {
        return data;
    }

    /** Where a model named {@code name} is saved on HDFS. */
    String model(String name) {
        return hdfsUri() + "/models/" + name;
    }

    Submission submit(String name, String... command) throws IOException {
        return Submission.start(BASEDIR, cluster, work, name, List.of(command));
    }

    /** {@code train} on {@link #data()} into {@link #model(String)}, with {@code options} after it. */
    String[] train(String modelName, List<String> options, String... extra) {
        List<String> command = new ArrayList<>(List.of("train", "--input", data, "--model", model(modelName)));
        command.addAll(options);
        command.addAll(List.of(extra));
        return command.toArray(new String[0]);
    }

    /** {@code evaluate} of a saved model on {@link #data()} through spark-submit; its AUC-ROC. */
    double evaluate(String name, String modelName) throws Exception {
        try (Submission evaluate = submit(name, "evaluate", "--model", model(modelName), "--input", data,
                "--label-col", "label")) {
            return evaluate.succeed().figures().get("aucRoc").asDouble();
        }
    }

    /** Waits until {@code submission} has started a job whose description starts with {@code job}, then kills the worker. */
    void killWorkerWhenJobStarts(Submission submission, String job, int worker) throws Exception {
        EventLog running = null;
        while (running == null || running.jobDescriptions().stream().noneMatch(d -> d.startsWith(job))) {
            assertTrue(submission.isAlive(), "training ended before " + job);
            Thread.sleep(200);
            running = EventLog.readIfPresent(submission.eventLogDir());
        }
        cluster.killWorker(worker);
    }

    /** Executor id to worker number, from the workers' directories: worker-N/APP_ID/EXECUTOR_ID. */
    Map<String, Integer> workerOfExecutor(String appId) throws IOException {
        Map<String, Integer> result = new TreeMap<>();
        for (int i = 1; i <= LocalCluster.WORKERS; i++) {
            Path app = cluster.workerDir(i).resolve(appId);
            if (Files.isDirectory(app)) {
                try (Stream<Path> executors = Files.list(app)) {
                    int worker = i;
                    executors.forEach(e -> result.put(e.getFileName().toString(), worker));
                }
            }
        }
        return result;
    }

    /**
     * The workers whose executors ran tasks of the jobs whose description starts with {@code job}: the
     * tasks that succeeded, or all that were launched (a killed worker's lost tasks too).
     */
    Set<Integer> workersThatRan(EventLog log, String job, boolean succeededOnly) throws IOException {
        Map<String, Integer> workerOfExecutor = workerOfExecutor(log.appId());
        return log.tasks().stream()
                .filter(t -> t.jobDescription().startsWith(job) && (t.succeeded() || !succeededOnly))
                .map(t -> workerOfExecutor.get(t.executorId())).collect(Collectors.toSet());
    }

    /** Stops the cluster, then HDFS, whatever the cluster's stop does. */
    @Override
    public void close() throws IOException, InterruptedException {
        try {
            cluster.close();
        } finally {
            hdfs.shutdown(true);
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
