package io.github.deepanomaly.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.deepanomaly.cli.Main;
import io.github.deepanomaly.cli.ModelStore;
import io.github.deepanomaly.core.ScoringModel;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The CLI on a real standalone cluster ({@link ClusterWithHdfs}: master and 2 workers as separate JVMs,
 * deploy/local-cluster.sh, and HDFS in this JVM), commands submitted through spark-submit with the assembly jar
 * (deploy/submit-standalone.sh), and once through bin/deep-anomaly --master. The tests run in order: the later
 * ones compare with the first one's model and AUC, and the last one kills a worker.
 */
@Tag("cluster")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StandaloneClusterIT {
    /**
     * Ten epochs without early stopping, averaging after every minibatch: 150 rounds (Spark jobs) on thyroid,
     * so that training lasts long enough for a worker to be killed in the middle of it.
     */
    private static final List<String> TRAINING = List.of("--label-col", "label", "--set", "maxIter=10", "--set",
            "validationFraction=0", "--set", "averagingFrequency=1");
    /** Measured 0.872 with maxIter=10 and dl4j-spark's trainer; Isolation Forest: 0.975. */
    private static final double AUC_FLOOR = 0.80;
    /** A worker dies once training has reached this epoch. */
    private static final String KILL_AT_EPOCH = "autoencoder epoch 3/";

    private static ClusterWithHdfs servers;
    private static Path work;
    private static Double undisturbedAuc;
    private static double undisturbedThreshold;

    @BeforeAll
    static void startServers() throws Exception {
        servers = ClusterWithHdfs.start("cluster-it");
        work = servers.work();
    }

    /** JUnit runs this also when startServers failed half way; each server is stopped whatever the others do. */
    @AfterAll
    static void stopServers() throws Exception {
        try {
            SparkSession.getDefaultSession().foreach(session -> {
                session.stop();
                return null;
            });
        } finally {
            if (servers != null) {
                servers.close();
            }
        }
    }

    private static FileSystem fs() throws IOException {
        return servers.fs();
    }

    private static String model(String name) {
        return servers.model(name);
    }

    private static Submission submit(String name, String... command) throws IOException {
        return servers.submit(name, command);
    }

    private static String[] train(String modelName, String... extra) {
        return servers.train(modelName, TRAINING, extra);
    }

    /**
     * bin/deep-anomaly --master spark://..., as README gives it: the launcher ships the assembly jar to the
     * executors (spark.jars), whose Spark has no DL4J and none of our classes. One epoch on a local file (the
     * executors are on this machine): the point is that the epochs' tasks ran on the workers' executors.
     */
    @Test
    @Order(0)
    void theLauncherWithAClusterMasterShipsWhatTheExecutorsNeed() throws Exception {
        Path csv = work.resolve("thyroid.csv");
        try (InputStream in = StandaloneClusterIT.class.getResourceAsStream(ClusterWithHdfs.SAMPLE)) {
            Files.copy(in, csv);
        }
        Path eventLogDir = Files.createDirectories(work.resolve("launcher-eventlog"));
        ProcessBuilder builder = new ProcessBuilder(ClusterWithHdfs.BASEDIR.resolve("bin/deep-anomaly").toString(),
                "--master", servers.cluster().masterUrl(), "train", "--input", csv.toString(), "--model",
                work.resolve("launcher-model").toString(), "--label-col", "label", "--set", "maxIter=1")
                .redirectOutput(work.resolve("launcher.out").toFile())
                .redirectError(work.resolve("launcher.err").toFile());
        builder.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
        builder.environment().put("DEEP_ANOMALY_JAVA_OPTS", "-Xmx1g " + LocalCluster.SHORT_LIVED_JVM
                + " -Dspark.ui.enabled=false -Dspark.eventLog.enabled=true -Dspark.eventLog.dir=" + eventLogDir.toUri()
                + " -Dspark.executor.defaultJavaOptions=" + LocalCluster.SHORT_LIVED_JVM);
        Process launcher = builder.start();
        try {
            assertTrue(launcher.waitFor(8, TimeUnit.MINUTES), "bin/deep-anomaly still running after 8 minutes");
        } finally {
            launcher.descendants().forEach(ProcessHandle::destroyForcibly);
            launcher.destroyForcibly();
        }
        assertEquals(0, launcher.exitValue(), Submission.tail(work.resolve("launcher.err"), 40));
        List<String> out = Files.readAllLines(work.resolve("launcher.out"));
        assertEquals(3772, new ObjectMapper().readTree(out.get(out.size() - 1)).get("rows").asLong());

        EventLog log = EventLog.read(eventLogDir);
        Set<String> clusterExecutors = servers.workerOfExecutor(log.appId()).keySet();
        List<EventLog.Task> epochs = log.tasks().stream()
                .filter(t -> t.succeeded() && t.jobDescription().startsWith("autoencoder epoch")).toList();
        assertFalse(epochs.isEmpty(), "no training tasks in the event log");
        assertTrue(epochs.stream().allMatch(t -> clusterExecutors.contains(t.executorId())),
                "training ran on the workers' executors " + clusterExecutors);
    }

    @Test
    @Order(1)
    void trainsOnBothWorkersAndEvaluatesFromHdfs() throws Exception {
        try (Submission train = submit("train", train("ae"))) {
            undisturbedThreshold = train.succeed().figures().get("threshold").asDouble();
            EventLog log = EventLog.read(train.eventLogDir());
            Map<String, Integer> workerOfExecutor = servers.workerOfExecutor(log.appId());
            assertEquals(Set.of(1, 2), Set.copyOf(workerOfExecutor.values()), "one executor on each worker");
            assertEquals(Set.of(1, 2), servers.workersThatRan(log, "autoencoder epoch", true),
                    "both workers ran training tasks");
            assertTrue(log.jobDescriptions().stream().anyMatch(d -> d.startsWith("autoencoder epoch 10/10")));
        }
        assertTrue(fs().exists(new org.apache.hadoop.fs.Path(model("ae") + "/metadata")), "model saved on HDFS");
        assertTrue(fs().exists(new org.apache.hadoop.fs.Path(model("ae") + "/stages")));

        double auc = servers.evaluate("evaluate", "ae");
        System.out.printf("cluster AUC-ROC, undisturbed: %.4f%n", auc);
        assertTrue(auc >= AUC_FLOOR, "AUC-ROC " + auc + " below " + AUC_FLOOR);
        undisturbedAuc = auc;
    }

    @Test
    @Order(2)
    void aDriverKilledWhileSavingOverAModelLeavesTheOldOneLoadable() throws Exception {
        assumeTrue(undisturbedAuc != null, "needs the model of the first test");
        Map<String, String> before = checksums(model("ae"));
        org.apache.hadoop.fs.Path models = new org.apache.hadoop.fs.Path(servers.hdfsUri() + "/models");
        boolean killedMidSave = false;
        try (Submission train = submit("killed-save", train("ae", "--set", "maxIter=1", "--overwrite"))) {
            // The save starts with the hidden temporary sibling; SIGKILL the driver as soon as it exists.
            while (train.isAlive() && !killedMidSave) {
                if (Arrays.stream(fs().listStatus(models)).anyMatch(s -> s.getPath().getName().startsWith(".ae.tmp-"))) {
                    train.kill();
                    killedMidSave = true;
                }
                Thread.sleep(10);
            }
        }
        assertTrue(killedMidSave, "the driver ended before its save began; see " + work.resolve("killed-save.err"));
        assertTrue(Arrays.stream(fs().listStatus(models)).anyMatch(s -> s.getPath().getName().startsWith(".ae.tmp-")),
                "killed while its temporary directory was there");
        assertEquals(before, checksums(model("ae")), "the model at the path is the old one, byte for byte");

        // and it loads: the model of the first test (its threshold), which evaluated as it should there
        PipelineModel loaded = ModelStore.load(localSpark(), model("ae"));
        assertEquals(undisturbedThreshold, ((ScoringModel) ModelStore.detector(loaded)).getThreshold());
    }

    @Test
    @Order(3)
    void trainingSurvivesAKilledWorker() throws Exception {
        assumeTrue(undisturbedAuc != null, "needs the AUC of the first test");
        try (Submission train = submit("killed-worker", train("ae-killed-worker"))) {
            servers.killWorkerWhenJobStarts(train, KILL_AT_EPOCH, 2);
            train.succeed();

            EventLog log = EventLog.read(train.eventLogDir());
            Map<String, Integer> workerOfExecutor = servers.workerOfExecutor(log.appId());
            String lost = workerOfExecutor.entrySet().stream().filter(e -> e.getValue() == 2).findFirst()
                    .orElseThrow().getKey();
            assertEquals(List.of(lost), log.removedExecutors(), "the executor of the killed worker was lost");
            assertEquals(Set.of(1), servers.workersThatRan(log, "autoencoder epoch 10/10", false),
                    "the last epoch ran on the survivor");
        }
        // the executor of the killed worker notices that its worker is gone (WorkerWatcher) and exits
        for (int i = 0; i < 300 && !servers.cluster().survivorsOfKilledWorkers().isEmpty(); i++) {
            Thread.sleep(100);
        }
        assertEquals(List.of(), servers.cluster().survivorsOfKilledWorkers());

        double auc = evaluateInThisJvm(model("ae-killed-worker"));
        System.out.printf("cluster AUC-ROC, undisturbed %.4f, a worker killed at epoch 3: %.4f%n", undisturbedAuc, auc);
        assertEquals(undisturbedAuc, auc, 0.02);
    }

    private static Map<String, String> checksums(String directory) throws IOException {
        Map<String, String> result = new TreeMap<>();
        RemoteIterator<LocatedFileStatus> files = fs().listFiles(new org.apache.hadoop.fs.Path(directory), true);
        while (files.hasNext()) {
            FileStatus file = files.next();
            result.put(file.getPath().toUri().getPath(), fs().getFileChecksum(file.getPath()).toString());
        }
        return result;
    }

    /**
     * A local Spark in this JVM, for checks after the cluster lost a worker: what they check does not depend
     * on where it runs, and a submission costs a minute and a half here. Stopped by {@link #stopServers}.
     */
    private static SparkSession localSpark() {
        return SparkSession.builder().master("local[2]").appName("cluster-test-checks")
                .config("spark.ui.enabled", "false")
                .config("spark.driver.host", "127.0.0.1")
                .config("spark.driver.bindAddress", "127.0.0.1")
                .getOrCreate();
    }

    /** deep-anomaly evaluate on the local Spark of this JVM; its figures' AUC-ROC. */
    private static double evaluateInThisJvm(String model) throws IOException {
        localSpark(); // the CLI's getOrCreate takes this session
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = Main.run(new String[] {"--master", "local[2]", "evaluate", "--model", model, "--input", servers.data(),
                "--label-col", "label"}, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(0, exit, err.toString(StandardCharsets.UTF_8));
        List<String> lines = out.toString(StandardCharsets.UTF_8).lines().toList();
        return new ObjectMapper().readTree(lines.get(lines.size() - 1)).get("aucRoc").asDouble();
    }
}
