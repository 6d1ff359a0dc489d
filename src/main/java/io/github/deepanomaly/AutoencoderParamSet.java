package io.github.deepanomaly;

import io.github.deepanomaly.core.Validators;
import io.github.deepanomaly.nn.Activations;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntArrayParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.param.Params;

/** The Param objects of one {@link AutoencoderDetector} or {@link AutoencoderDetectorModel} instance. */
public final class AutoencoderParamSet {
    /** The seed every autoencoder starts from unless told otherwise (the one all published figures used). */
    static final long DEFAULT_SEED = "AutoencoderDetector".hashCode();

    /**
     * Off by default: a trim of 0.25 gains 0.020 mean AUC-ROC on the 9 small shared tables (shuttle
     * 0.948 → 0.995, pendigits 0.783 → 0.904) but costs http 0.9995 → 0.914, whose normal rows have small
     * modes of their own that a trim leaves out for good (README, "Quality").
     */
    public static final double DEFAULT_TRIM_FRACTION = 0;
    public static final double MAX_TRIM_FRACTION = 0.5;

    final IntArrayParam hiddenLayers;
    final Param<String> activation;
    final DoubleParam trimFraction;

    AutoencoderParamSet(Params owner) {
        hiddenLayers = new IntArrayParam(owner, "hiddenLayers",
                "sizes of the encoder's hidden layers, outermost first; the decoder mirrors them. Empty (default):"
                        + " sized from the input dimension d as [max(2, d/2), max(1, d/4)]",
                Validators.allPositive());
        activation = new Param<>(owner, "activation",
                "activation of the hidden layers: " + String.join(", ", Activations.NAMES),
                ParamValidators.inArray(Activations.NAMES.toArray(new String[0])));
        trimFraction = new DoubleParam(owner, "trimFraction",
                "share of each minibatch's rows, those reconstructed worst, left out of the loss and its gradient,"
                        + " in [0, " + MAX_TRIM_FRACTION + "): the training rows contain the anomalies, and an"
                        + " autoencoder that learns to reconstruct them no longer tells them apart. 0 trains on"
                        + " every row (and is what trainingEngine 'dl4j-spark' needs)",
                ParamValidators.inRange(0, MAX_TRIM_FRACTION, true, false));
        owner.setDefault(hiddenLayers, new int[0]);
        owner.setDefault(trimFraction, DEFAULT_TRIM_FRACTION);
        owner.setDefault(activation, Activations.DEFAULT);
    }
}
