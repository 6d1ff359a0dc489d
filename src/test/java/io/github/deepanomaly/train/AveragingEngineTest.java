package io.github.deepanomaly.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.deepanomaly.SparkTestSession;
import io.github.deepanomaly.core.Standardization;
import io.github.deepanomaly.nn.AutoencoderStep;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The averaging engine on a real local[2] Spark with real DL4J networks. */
class AveragingEngineTest {
    static final AtomicInteger BUILDS = new AtomicInteger();

    /** A test step on the autoencoder's networks, with the autoencoder's held-out loss. */
    interface OnAutoencoder extends LocalStep {
        AutoencoderStep inner();

        @Override
        default List<MultiLayerNetwork> buildNetworks() {
            return inner().buildNetworks();
        }

        @Override
        default double loss(List<MultiLayerNetwork> networks, INDArray input) {
            return inner().loss(networks, input);
        }
    }

    /** The autoencoder's step, counting how often its networks are built (local mode: one JVM). */
    record CountingStep(AutoencoderStep inner) implements OnAutoencoder {
        @Override
        public List<MultiLayerNetwork> buildNetworks() {
            BUILDS.incrementAndGet();
            return inner.buildNetworks();
        }

        @Override
        public double fit(List<MultiLayerNetwork> networks, INDArray input) {
            return inner.fit(networks, input);
        }
    }

    /** Learns nothing that helps: every step scales the parameters up, so the loss only gets worse. */
    record WorseningStep(AutoencoderStep inner) implements OnAutoencoder {
        @Override
        public double fit(List<MultiLayerNetwork> networks, INDArray input) {
            networks.get(0).params().muli(1.05);
            return loss(networks, input);
        }
    }

    /** Trains nothing; every row's training loss is its partition's number + 1 (1 on the first worker, 2 on the second). */
    record PartitionLossStep(AutoencoderStep inner) implements OnAutoencoder {
        @Override
        public double fit(List<MultiLayerNetwork> networks, INDArray input) {
            return input.size(0) * (org.apache.spark.TaskContext.getPartitionId() + 1.0);
        }
    }

    /** A step whose loss has gone to NaN, as a diverging fit's does. */
    record DivergingStep(AutoencoderStep inner) implements OnAutoencoder {
        @Override
        public double fit(List<MultiLayerNetwork> networks, INDArray input) {
            return Double.NaN;
        }
    }

    static JavaRDD<Minibatch> minibatches(int rows, int d, double heldOut) {
        return minibatches(rows, d, heldOut, 2);
    }

    static JavaRDD<Minibatch> minibatches(int rows, int d, double heldOut, int partitions) {
        Random random = new Random(3);
        List<Row> data = new ArrayList<>();
        for (int i = 0; i < rows; i++) {
            double z = random.nextGaussian();
            double[] x = new double[d];
            for (int j = 0; j < d; j++) {
                x[j] = z * (j + 1) + 0.1 * random.nextGaussian();
            }
            data.add(RowFactory.create(Vectors.dense(x)));
        }
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(SparkTestSession.get().sparkContext());
        JavaRDD<Minibatch> batches = Minibatches.of(sc.parallelize(data, partitions), Standardization.identity(d), 32,
                heldOut, 1L);
        return batches.persist(Training.MINIBATCH_STORAGE);
    }

    static Training.Settings settings(int epochs, int frequency, double heldOut, int patience) {
        return new Training.Settings("test", epochs, 32, 2, frequency, 7, heldOut, patience, 0);
    }

    /** Five workers on two task slots (summed in partition order: RoundResultTest): runs agree to the bit. */
    @Test
    void moreWorkersThanSlotsTrainTheSameNetworksEveryRun() {
        JavaRDD<Minibatch> batches = minibatches(1500, 5, 0.1, 5);
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(SparkTestSession.get().sparkContext());
        try {
            float[] first = AveragingEngine.fit(sc, autoencoder(5), batches, settings(2, 2, 0.1, 10),
                    Training.EpochListener.NONE).network().params().toFloatVector();
            for (int run = 0; run < 2; run++) {
                float[] again = AveragingEngine.fit(sc, autoencoder(5), batches, settings(2, 2, 0.1, 10),
                        Training.EpochListener.NONE).network().params().toFloatVector();
                assertArrayEquals(first, again, "run " + (run + 2));
            }
        } finally {
            batches.unpersist();
        }
    }

    static AutoencoderStep autoencoder(int d) {
        return new AutoencoderStep(d, new int[0], "tanh", 1e-2, 7, 0, 0);
    }

    @Test
    void oneJobPerRoundAndNetworksBuiltOncePerTaskSlot() throws Exception {
        JavaRDD<Minibatch> batches = minibatches(2000, 6, 0.1);
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(SparkTestSession.get().sparkContext());
        List<String> jobs = new ArrayList<>();
        SparkListener listener = new SparkListener() {
            @Override
            public void onJobStart(SparkListenerJobStart start) {
                jobs.add(start.properties().getProperty("spark.job.description"));
            }
        };
        BUILDS.set(0);
        Training.Result result;
        Training.Result oneEpoch = AveragingEngine.fit(sc, autoencoder(6), batches, settings(1, 10, 0.1, 10),
                Training.EpochListener.NONE);
        sc.sc().addSparkListener(listener);
        try {
            // 900 training rows per partition: 29 minibatches, every 10 → 3 rounds per epoch
            result = AveragingEngine.fit(sc, new CountingStep(autoencoder(6)), batches, settings(4, 10, 0.1, 10),
                    Training.EpochListener.NONE);
            sc.sc().listenerBus().waitUntilEmpty();
        } finally {
            sc.sc().removeSparkListener(listener);
            batches.unpersist();
        }
        assertEquals(4, result.epochs());
        assertEquals(1 + 4 * 3 + 1, jobs.size(), "the caching job, 3 rounds per epoch, the last validation: " + jobs);
        assertTrue(jobs.get(4).matches("test epoch 2/4, loss \\S+"), jobs.get(4));
        assertTrue(jobs.get(7).matches("test epoch 3/4, loss \\S+, validation \\S+"), jobs.get(7));
        assertTrue(BUILDS.get() <= 3, "built on the driver and once per task slot, not per round: " + BUILDS.get());
        assertTrue(result.loss() < 0.8 * oneEpoch.loss(), "learns: " + oneEpoch.loss() + " -> " + result.loss());
    }

    @Test
    void stopsEarlyAndKeepsTheBestEpoch() {
        JavaRDD<Minibatch> batches = minibatches(1000, 4, 0.2);
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(SparkTestSession.get().sparkContext());
        List<double[]> seen = new ArrayList<>();
        Training.Result result;
        try {
            result = AveragingEngine.fit(sc, new WorseningStep(autoencoder(4)), batches, settings(20, 5, 0.2, 2),
                    (epoch, network, seconds) -> seen.add(network.params().toDoubleVector()));
        } finally {
            batches.unpersist();
        }
        assertEquals(3, result.epochs(), "epoch 1 is best; 2 more without improvement");
        assertEquals(1, result.bestEpoch());
        assertArrayEquals(seen.get(0), result.network().params().toDoubleVector(), 1e-7);
    }

    @Test
    void theEpochLossIsTheMeanOverEveryWorkersRows() {
        JavaRDD<Minibatch> batches = minibatches(1000, 3, 0);
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(SparkTestSession.get().sparkContext());
        try {
            Training.Result result = AveragingEngine.fit(sc, new PartitionLossStep(autoencoder(3)), batches,
                    settings(1, 5, 0, 2), Training.EpochListener.NONE);
            // 500 rows at loss 1 and 500 at loss 2: not the last minibatch of one worker (1 or 2)
            assertEquals(1.5, result.loss(), 1e-12);
        } finally {
            batches.unpersist();
        }
    }

    @Test
    void aTableTooSmallForMinStepsInMaxIterEpochsTrainsMoreEpochs() {
        // 200 rows on 2 workers in minibatches of 32: 4 per worker (3 full, one of 4 rows)
        JavaRDD<Minibatch> batches = minibatches(200, 3, 0);
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(SparkTestSession.get().sparkContext());
        try {
            Training.Settings asked = new Training.Settings("test", 2, 32, 2, 5, 7, 0, 2, 13);
            Training.Result result = AveragingEngine.fit(sc, autoencoder(3), batches, asked,
                    Training.EpochListener.NONE);
            assertEquals(4, result.epochs(), "13 steps on 4 minibatches a worker: 4 epochs, not maxIter's 2");
            Training.Result enough = AveragingEngine.fit(sc, autoencoder(3), batches,
                    new Training.Settings("test", 5, 32, 2, 5, 7, 0, 2, 13), Training.EpochListener.NONE);
            assertEquals(5, enough.epochs(), "maxIter's 5 epochs already make 20 steps");
        } finally {
            batches.unpersist();
        }
    }

    @Test
    void minStepsSetsTheEpochsByTheLargestPartitionsMinibatches() {
        Training.Settings settings = new Training.Settings("test", 5, 128, 2, 0, 7, 0.1, 2, 40);
        assertEquals(40, settings.epochsFor(1));
        assertEquals(10, settings.epochsFor(4));
        assertEquals(7, settings.epochsFor(6));
        assertEquals(5, settings.epochsFor(8));
        assertEquals(5, settings.epochsFor(100));
        assertEquals(5, settings.withEpochs(5).epochsFor(0), "no minibatches: nothing to stretch");
        assertEquals(40, settings.forBatches(1).epochs());
        assertEquals(5, settings.forBatches(100).epochs());
        assertEquals(5, new Training.Settings("test", 5, 128, 2, 0, 7, 0.1, 2, 0).epochsFor(1), "0: maxIter epochs");
    }

    @Test
    void aDivergingFitStopsWithTheParamToChange() {
        JavaRDD<Minibatch> batches = minibatches(500, 3, 0);
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(SparkTestSession.get().sparkContext());
        try {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> AveragingEngine.fit(sc,
                    new DivergingStep(autoencoder(3)), batches, settings(3, 5, 0, 2), Training.EpochListener.NONE));
            assertEquals("test training diverged: the loss of epoch 1 is NaN; lower stepSize (the usual cause) or look"
                    + " for extreme values in the input", e.getMessage());
        } finally {
            batches.unpersist();
        }
    }

    @Test
    void aTableTooSmallToHoldOutAnythingIsRefused() {
        JavaRDD<Minibatch> batches = minibatches(8, 4, 0.1);
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(SparkTestSession.get().sparkContext());
        try {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AveragingEngine.fit(sc,
                    autoencoder(4), batches, settings(2, 5, 0.1, 2), Training.EpochListener.NONE));
            assertTrue(e.getMessage().startsWith("validationFraction 0.1 holds out no rows of this table (8 usable rows"),
                    e.getMessage());
            IllegalArgumentException reference = assertThrows(IllegalArgumentException.class, () -> Dl4jSparkEngine.fit(
                    sc, autoencoder(4), batches, settings(2, 5, 0.1, 2), Training.EpochListener.NONE));
            assertEquals(e.getMessage(), reference.getMessage(), "dl4j-spark's trainer refuses it the same way");
        } finally {
            batches.unpersist();
        }
    }

    @Test
    void heldOutRowsAreTheExactShareOfEveryPartition() {
        JavaRDD<Minibatch> batches = minibatches(1000, 3, 0.25);
        try {
            List<PartitionLayout> layout = PartitionLayout.of(batches);
            assertEquals(List.of(new PartitionLayout(12, 375, 4, 125), new PartitionLayout(12, 375, 4, 125)), layout);
        } finally {
            batches.unpersist();
        }
    }

    @Test
    void automaticFrequencyKeepsAboutTwelveRoundsOnLargeTables() {
        assertEquals(5, AveragingFrequency.auto(3));
        assertEquals(5, AveragingFrequency.auto(60));
        assertEquals(10, AveragingFrequency.auto(125));
        assertEquals(184, AveragingFrequency.auto(2217));
        assertEquals(13, AveragingFrequency.rounds(2217, 184));
    }
}
