package io.github.deepanomaly;

import io.github.deepanomaly.core.Validators;
import io.github.deepanomaly.nn.Activations;
import org.apache.spark.ml.param.IntArrayParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.param.Params;

/** The Param objects of one {@link AutoencoderDetector} or {@link AutoencoderDetectorModel} instance. */
public final class AutoencoderParamSet {
    /** The seed every autoencoder starts from unless told otherwise (the one all published figures used). */
    static final long DEFAULT_SEED = "AutoencoderDetector".hashCode();

    final IntArrayParam hiddenLayers;
    final Param<String> activation;

    AutoencoderParamSet(Params owner) {
        hiddenLayers = new IntArrayParam(owner, "hiddenLayers",
                "sizes of the encoder's hidden layers, outermost first; the decoder mirrors them. Empty (default):"
                        + " sized from the input dimension d as [max(2, d/2), max(1, d/4)]",
                Validators.allPositive());
        activation = new Param<>(owner, "activation",
                "activation of the hidden layers: " + String.join(", ", Activations.NAMES),
                ParamValidators.inArray(Activations.NAMES.toArray(new String[0])));
        owner.setDefault(hiddenLayers, new int[0]);
        owner.setDefault(activation, Activations.DEFAULT);
    }
}
