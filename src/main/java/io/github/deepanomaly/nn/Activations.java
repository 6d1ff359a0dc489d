package io.github.deepanomaly.nn;

import java.util.List;
import java.util.Locale;
import org.nd4j.linalg.activations.Activation;

/** The hidden-layer activations a user may choose, by the names the {@code activation} param accepts. */
public final class Activations {
    public static final List<String> NAMES = List.of("relu", "leakyrelu", "elu", "tanh", "sigmoid", "selu");
    public static final String DEFAULT = "tanh";

    private Activations() {
    }

    public static Activation byName(String name) {
        if (!NAMES.contains(name)) {
            throw new IllegalArgumentException("Unknown activation '" + name + "'; use one of " + NAMES);
        }
        return Activation.valueOf(name.toUpperCase(Locale.ROOT));
    }
}
