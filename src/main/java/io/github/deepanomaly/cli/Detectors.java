package io.github.deepanomaly.cli;

import io.github.deepanomaly.AutoencoderDetector;
import io.github.deepanomaly.GanDetector;
import io.github.deepanomaly.ConvAutoencoderDetector;
import io.github.deepanomaly.LstmDetector;
import io.github.deepanomaly.core.DetectorParams;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.spark.ml.Estimator;

/** The detectors the command line knows, by the name given to {@code --detector}. */
public final class Detectors {
    /** The image detector, and the default for {@code --input-format image}. */
    public static final String CONV_AUTOENCODER = "conv-autoencoder";
    private static final Map<String, Supplier<Estimator<?>>> BY_NAME = new LinkedHashMap<>();

    static {
        BY_NAME.put("autoencoder", AutoencoderDetector::new);
        BY_NAME.put("gan", GanDetector::new);
        BY_NAME.put(CONV_AUTOENCODER, ConvAutoencoderDetector::new);
        BY_NAME.put("lstm", LstmDetector::new);
    }

    private Detectors() {
    }

    public static Estimator<?> create(String name) {
        Supplier<Estimator<?>> factory = BY_NAME.get(name);
        if (factory == null) {
            throw new UsageException("Unknown detector '" + name + "'; available: " + String.join(", ", BY_NAME.keySet()));
        }
        return factory.get();
    }

    /** Every detector name, in the order the help lists them. */
    public static List<String> names() {
        return List.copyOf(BY_NAME.keySet());
    }

    /** Whether the detector reads images (Spark's image column) rather than a table's numeric columns. */
    public static boolean readsImages(Object detector) {
        return detector instanceof io.github.deepanomaly.ConvAutoencoderParams<?>;
    }

    /** Whether the detector scores rows of a table (a Vector per row), as the quality suite and demo need. */
    public static boolean readsTables(Object detector) {
        return !readsImages(detector) && !(detector instanceof io.github.deepanomaly.LstmParams<?>);
    }

    public static DetectorParams<?> params(Estimator<?> detector) {
        return (DetectorParams<?>) detector;
    }
}
