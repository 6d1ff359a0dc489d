package io.github.deepanomaly.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The GAN detector on a real standalone cluster, as {@link StandaloneClusterIT} runs the autoencoder: its three
 * networks trained on both workers through spark-submit, then again with a worker killed mid-training. A cluster
 * of its own, since killing a worker is for good.
 */
@Tag("cluster")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class GanClusterIT {
    /** Ten epochs without early stopping, averaging after every minibatch: 150 rounds on thyroid. */
    private static final List<String> TRAINING = List.of("--detector", "gan", "--label-col", "label", "--set",
            "maxIter=10", "--set", "validationFraction=0", "--set", "averagingFrequency=1");
    /** Below the GAN's local figure on thyroid (0.94–0.96 over seeds with default params; Isolation Forest 0.975). */
    private static final double AUC_FLOOR = 0.85;
    private static final String KILL_AT_EPOCH = "gan epoch 3/";

    private static ClusterWithHdfs servers;
    private static Double undisturbedAuc;

    @BeforeAll
    static void startServers() throws Exception {
        servers = ClusterWithHdfs.start("gan-cluster-it");
    }

    @AfterAll
    static void stopServers() throws Exception {
        if (servers != null) {
            servers.close();
        }
    }

    @Test
    @Order(1)
    void trainsAllThreeNetworksOnBothWorkers() throws Exception {
        try (Submission train = servers.submit("gan-train", servers.train("gan", TRAINING))) {
            train.succeed();
            EventLog log = EventLog.read(train.eventLogDir());
            assertEquals(Set.of(1, 2), servers.workersThatRan(log, "gan epoch", true), "both workers ran training tasks");
            assertTrue(log.jobDescriptions().stream().anyMatch(d -> d.startsWith("gan epoch 10/10")));
        }
        double auc = servers.evaluate("gan-evaluate", "gan");
        System.out.printf("cluster GAN AUC-ROC, undisturbed: %.4f%n", auc);
        assertTrue(auc >= AUC_FLOOR, "AUC-ROC " + auc + " below " + AUC_FLOOR);
        undisturbedAuc = auc;
    }

    @Test
    @Order(2)
    void trainingSurvivesAKilledWorker() throws Exception {
        assumeTrue(undisturbedAuc != null, "needs the AUC of the first test");
        try (Submission train = servers.submit("gan-killed-worker", servers.train("gan-killed-worker", TRAINING))) {
            servers.killWorkerWhenJobStarts(train, KILL_AT_EPOCH, 2);
            train.succeed();
            EventLog log = EventLog.read(train.eventLogDir());
            assertEquals(Set.of(1), servers.workersThatRan(log, "gan epoch 10/10", false),
                    "the last epoch ran on the survivor");
        }
        double auc = servers.evaluate("gan-evaluate-killed", "gan-killed-worker");
        System.out.printf("cluster GAN AUC-ROC, undisturbed %.4f, a worker killed at epoch 3: %.4f%n", undisturbedAuc,
                auc);
        assertEquals(undisturbedAuc, auc, 0.02);
    }
}
