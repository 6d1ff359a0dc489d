package io.github.deepanomaly.cli;

import io.github.deepanomaly.AutoencoderDetector;
import io.github.deepanomaly.LstmDetector;
import io.github.deepanomaly.core.DetectorParams;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.spark.ml.Estimator;

/** The detectors the command line knows, by the name given to {@code --detector}. */
public final class Detectors {
    private static final Map<String, Supplier<Estimator<?>>> BY_NAME = new LinkedHashMap<>();

    static {
        BY_NAME.put("autoencoder", AutoencoderDetector::new);
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

    public static DetectorParams<?> params(Estimator<?> detector) {
        return (DetectorParams<?>) detector;
    }
}
