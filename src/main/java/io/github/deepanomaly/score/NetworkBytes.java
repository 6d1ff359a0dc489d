package io.github.deepanomaly.score;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;

/**
 * DL4J's own zip format for a network (configuration + parameters, no updater state: a scoring model
 * never trains again), as bytes to broadcast or as a stream to persist.
 */
public final class NetworkBytes {
    private NetworkBytes() {
    }

    public static void write(MultiLayerNetwork network, OutputStream out) throws IOException {
        ModelSerializer.writeModel(network, out, false);
    }

    public static MultiLayerNetwork read(InputStream in) throws IOException {
        return ModelSerializer.restoreMultiLayerNetwork(in, false);
    }

    public static byte[] toBytes(MultiLayerNetwork network) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            write(network, out);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not serialize the network", e);
        }
        return out.toByteArray();
    }

    public static MultiLayerNetwork fromBytes(byte[] bytes) {
        try {
            return read(new ByteArrayInputStream(bytes));
        } catch (IOException e) {
            throw new UncheckedIOException("Could not deserialize the network", e);
        }
    }

    /** The networks as bytes, broadcast once for {@link BatchScorer}. */
    public static Broadcast<byte[][]> broadcast(JavaSparkContext sc, List<MultiLayerNetwork> networks) {
        return sc.broadcast(networks.stream().map(NetworkBytes::toBytes).toArray(byte[][]::new));
    }
}
