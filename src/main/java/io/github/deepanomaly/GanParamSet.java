package io.github.deepanomaly;

import io.github.deepanomaly.core.Validators;
import io.github.deepanomaly.nn.Activations;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntArrayParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.param.Params;

/** The Param objects of one {@link GanDetector} or {@link GanDetectorModel} instance. */
public final class GanParamSet {
    /** The seed every GAN detector starts from unless told otherwise (the one all published figures used). */
    static final long DEFAULT_SEED = "GanDetector".hashCode();
    public static final String SCORE_RECONSTRUCTION = "reconstruction";
    public static final String SCORE_DISCRIMINATOR = "discriminator";
    public static final String SCORE_WEIGHTED = "weighted";
    /**
     * Defaults chosen on 5 of the shared ADBench sets (breastw, cardio, ionosphere, pendigits, thyroid; seed 1;
     * README, "GanDetector"): mean AUC-ROC 0.900 without the adversary (adversarialWeight 0: an autoencoder),
     * 0.912 at weight 0.1, 0.914 at 1 and 0.920 at 3 with a discriminator 10× slower than the generator; 0.929 at
     * weight 1 with both at stepSize's 0.01 (0.929 at 3, 0.925 with the discriminator at 0.03). With the trim
     * below (same 5 sets, seeds 1 and 2) a lighter adversary does best: 0.925 at weight 0.3, 0.921 at 1, 0.917 at 3.
     */
    static final double DEFAULT_DISCRIMINATOR_STEP_SIZE = 1e-2;
    static final double DEFAULT_ADVERSARIAL_WEIGHT = 0.3;
    static final double DEFAULT_LABEL_SMOOTHING = 0.1;
    static final double DEFAULT_SCORE_WEIGHT = 0.5;
    /**
     * The quarter of each minibatch E and G reconstruct worst left out of their loss and of the discriminator's
     * (README, "GanDetector"): chosen on the 5 tuning sets (seeds 1, 2, weight 1: mean AUC-ROC 0.921, against
     * 0.917 with the discriminator seeing every row, 0.918 trimming 0.1 and 0.911 trimming 0.4), checked on
     * mammography, satellite, shuttle and wbc with seeds 1-3 on both protocols; unlike the autoencoder's trim,
     * it keeps http (AUC-ROC 0.994 against 0.996 untrimmed).
     */
    static final double DEFAULT_TRIM_FRACTION = 0.25;
    static final double MAX_TRIM_FRACTION = 0.5;

    final IntArrayParam hiddenLayers;
    final IntParam latentSize;
    final Param<String> activation;
    final DoubleParam discriminatorStepSize;
    final IntParam discriminatorSteps;
    final DoubleParam adversarialWeight;
    final DoubleParam labelSmoothing;
    final Param<String> scoreMethod;
    final DoubleParam scoreWeight;
    final DoubleParam trimFraction;

    GanParamSet(Params owner) {
        hiddenLayers = new IntArrayParam(owner, "hiddenLayers",
                "sizes of the encoder's layers, outermost first, the last one being the latent code (unless"
                        + " latentSize adds one); the generator mirrors them and the discriminator has the same sizes."
                        + " Empty (default): from the input dimension d, [max(2, d/2), max(1, d/4)]",
                Validators.allPositive());
        latentSize = new IntParam(owner, "latentSize",
                "size of an extra latent layer after hiddenLayers, >= 0; 0 (default): the last of hiddenLayers is"
                        + " the latent code", ParamValidators.gtEq(0));
        activation = new Param<>(owner, "activation",
                "activation of encoder and generator layers: " + String.join(", ", Activations.NAMES)
                        + "; codes drawn for the generator are uniform in [-1, 1], the range of tanh (default)",
                ParamValidators.inArray(Activations.NAMES.toArray(new String[0])));
        discriminatorStepSize = new DoubleParam(owner, "discriminatorStepSize",
                "Adam learning rate of the discriminator, > 0 (stepSize is the encoder's and generator's); lower it"
                        + " when the discriminator wins outright (its loss near 0)", ParamValidators.gt(0.0));
        discriminatorSteps = new IntParam(owner, "discriminatorSteps",
                "discriminator updates per encoder/generator update, >= 1", ParamValidators.gtEq(1));
        adversarialWeight = new DoubleParam(owner, "adversarialWeight",
                "weight of the adversarial loss against the reconstruction error (weight 1) in the encoder's and"
                        + " generator's loss, >= 0; 0 trains them as a plain autoencoder", ParamValidators.gtEq(0.0));
        labelSmoothing = new DoubleParam(owner, "labelSmoothing",
                "the discriminator's target for real rows is 1 - labelSmoothing (one-sided label smoothing), in"
                        + " [0, 0.5)", ParamValidators.inRange(0.0, 0.5, true, false));
        scoreMethod = new Param<>(owner, "scoreMethod",
                "the anomaly score: 'reconstruction' (mean squared difference between x and G(E(x)), standardized"
                        + " units), 'discriminator' (mean squared difference between the discriminator's last hidden"
                        + " features of x and of G(E(x))) or 'weighted' ((1 - scoreWeight) x reconstruction +"
                        + " scoreWeight x discriminator)",
                ParamValidators.inArray(new String[] {SCORE_RECONSTRUCTION, SCORE_DISCRIMINATOR, SCORE_WEIGHTED}));
        scoreWeight = new DoubleParam(owner, "scoreWeight",
                "the discriminator's share of the 'weighted' score, in [0, 1]", ParamValidators.inRange(0.0, 1.0));
        trimFraction = new DoubleParam(owner, "trimFraction",
                "share of each minibatch's rows, those E and G reconstruct worst, left out of the reconstruction"
                        + " error and of the adversarial loss of their reconstructions, in [0, " + MAX_TRIM_FRACTION
                        + "): the training rows contain the anomalies, and a generator that learns to reproduce them"
                        + " no longer tells them apart. 0 trains on every row",
                ParamValidators.inRange(0, MAX_TRIM_FRACTION, true, false));
        owner.setDefault(hiddenLayers, new int[0]);
        owner.setDefault(latentSize, 0);
        owner.setDefault(activation, Activations.DEFAULT);
        owner.setDefault(discriminatorStepSize, DEFAULT_DISCRIMINATOR_STEP_SIZE);
        owner.setDefault(discriminatorSteps, 1);
        owner.setDefault(adversarialWeight, DEFAULT_ADVERSARIAL_WEIGHT);
        owner.setDefault(labelSmoothing, DEFAULT_LABEL_SMOOTHING);
        owner.setDefault(scoreMethod, SCORE_RECONSTRUCTION);
        owner.setDefault(scoreWeight, DEFAULT_SCORE_WEIGHT);
        owner.setDefault(trimFraction, DEFAULT_TRIM_FRACTION);
    }
}
