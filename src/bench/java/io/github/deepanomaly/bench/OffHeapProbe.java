package io.github.deepanomaly.bench;

import io.github.deepanomaly.ConvAutoencoderDetector;
import io.github.deepanomaly.image.ImageShape;
import io.github.deepanomaly.nn.ConvAutoencoderStep;
import java.util.List;
import java.util.Random;
import org.bytedeco.javacpp.Pointer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The native memory one task of the conv autoencoder needs, measured as the growth of the process's
 * resident memory (JavaCPP's {@code Pointer.physicalBytes()}) while a network of the detector's defaults
 * fits minibatches and scores batches in this thread: ND4J's CPU backend allocates its arrays natively,
 * outside both the JVM heap and JavaCPP's own count. An upper bound: heap growth in the meantime counts too.
 *
 * @param fitBytes   growth while fitting {@code FIT_STEPS} minibatches of the default batchSize
 * @param scoreBytes growth while scoring {@code SCORE_PASSES} batches of the model's scoring batch
 */
record OffHeapProbe(long fitBytes, long scoreBytes) {
    static final int FIT_STEPS = 30;
    static final int SCORE_PASSES = 5;
    static final int SCORE_BATCH_ROWS = 256;

    static OffHeapProbe measure(ImageShape shape) throws InterruptedException {
        ConvAutoencoderDetector defaults = new ConvAutoencoderDetector();
        ConvAutoencoderStep step = new ConvAutoencoderStep(shape, defaults.getFilters(), defaults.getKernelSize(),
                defaults.getLatentSize(), defaults.getStepSize(), defaults.getSeed());
        List<MultiLayerNetwork> networks = step.buildNetworks();
        Random random = new Random(1);
        float[] values = new float[SCORE_BATCH_ROWS * shape.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = random.nextFloat() < 0.2f ? 1f : 0f;
        }
        INDArray minibatch = Nd4j.create(java.util.Arrays.copyOf(values, defaults.getBatchSize() * shape.size()),
                new long[] {defaults.getBatchSize(), shape.size()}, 'c');
        INDArray batch = Nd4j.create(values, new long[] {SCORE_BATCH_ROWS, shape.size()}, 'c');
        Peak peak = new Peak();
        for (int i = 0; i < FIT_STEPS; i++) {
            step.fit(networks, minibatch.dup());
        }
        long fit = peak.stop();
        peak = new Peak();
        for (int i = 0; i < SCORE_PASSES; i++) {
            networks.get(0).output(batch, false);
        }
        return new OffHeapProbe(fit, peak.stop());
    }

    /** The highest resident memory above where it started, sampled every 5 ms. */
    private static final class Peak {
        private final long start = Pointer.physicalBytes();
        private volatile long max = start;
        private volatile boolean running = true;
        private final Thread thread = new Thread(() -> {
            while (running) {
                max = Math.max(max, Pointer.physicalBytes());
                try {
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "off-heap-probe");

        Peak() {
            thread.setDaemon(true);
            thread.start();
        }

        long stop() throws InterruptedException {
            running = false;
            thread.join();
            return Math.max(0, Math.max(max, Pointer.physicalBytes()) - start);
        }
    }
}
