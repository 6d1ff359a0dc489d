package io.github.deepanomaly;

import io.github.deepanomaly.core.Validators;
import io.github.deepanomaly.nn.Activations;
import io.github.deepanomaly.score.ErrorScales;
import org.apache.spark.ml.param.BooleanParam;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntArrayParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.param.Params;

/** The Param objects of one {@link AutoencoderDetector} or {@link AutoencoderDetectorModel} instance. */
public final class AutoencoderParamSet {
    /** The seed every autoencoder starts from unless told otherwise (the one all published figures used). */
    static final long DEFAULT_SEED = "AutoencoderDetector".hashCode();

    /**
     * A quarter, by measurement (README, "Quality"): on the 9 small shared tables 0.25 beat 0.1, 0.2, 0.3 and
     * 0.4 and lifts the mean AUC-ROC by about 0.05 over no trim; http keeps 0.996 now that minibatches are
     * shuffled (0.914 when they were cut from its sorted rows).
     */
    public static final double DEFAULT_TRIM_FRACTION = 0.25;
    public static final double MAX_TRIM_FRACTION = 0.5;

    /**
     * 1.5 standardized units, by measurement (README, "Quality"): chosen among 0.1–2 on breastw, cardio,
     * ionosphere, pendigits and thyroid, confirmed on mammography, satellite, shuttle and wbc.
     */
    public static final double DEFAULT_INPUT_NOISE = 1.5;

    /** Each feature's squared error divided by its median over the training rows ({@link ErrorScales}). */
    public static final String ERROR_SCALING_MEDIAN = "median";
    /** The squared errors as they are, in standardized units (the score of models saved before the scaling). */
    public static final String ERROR_SCALING_NONE = "none";
    /** Both: each feature's weight is one over its median plus one over the mean median ({@link ErrorScales}). */
    public static final String ERROR_SCALING_BALANCED = "balanced";
    /**
     * Balanced, by measurement (README, "Quality"): on the shared tables the same as the median (9-set mean
     * AUC-ROC 0.931 against 0.930 all rows, 0.927 both on split), on six tables built from MNIST, which no
     * default was chosen on, 0.006–0.007 better, none of them worse.
     */
    public static final String DEFAULT_ERROR_SCALING = ERROR_SCALING_BALANCED;

    /**
     * On, by measurement (README, "Quality"; seeds 1–3, both protocols): on tables whose normal rows hold a
     * relation tightly, which the input noise blurs, the pair keeps most of what a plain network finds (the unit
     * tests' planted plane: 0.977 against 0.871); on the six MNIST tables no default was chosen on 0.787 / 0.786
     * against 0.782 / 0.782; on the nine shared sets 0.927 / 0.926 against 0.931 / 0.927. It doubles the training
     * (http's fit 1.46×, still 0.66–0.80× Isolation Forest's).
     */
    public static final boolean DEFAULT_PLAIN_NETWORK = true;

    /**
     * 2, by measurement (README, "Quality"; seeds 1–3, both protocols): on the nine shared sets shuttle's AUC-ROC
     * goes from 0.996 to 0.998 and the others keep theirs within 0.001; on the six MNIST tables no default was chosen
     * on the mean is unchanged (0.787 / 0.786). Multiples of 1–3 did the same.
     */
    public static final double DEFAULT_ERROR_LIMIT = 2;

    /**
     * 40, by measurement (README, "Quality", step 8): the small shared tables made 5–15 Adam steps per worker in the
     * default 5 epochs (ionosphere's 210 training rows on split: 5). Chosen among 0, 20 and 40 on the tuning sets;
     * over nine seeds the nine-set mean AUC-ROC goes from 0.926 to 0.931 (all rows) and 0.927 to 0.936 (split), the
     * six MNIST tables from 0.787 to 0.791 and 0.785 to 0.789 in the same runs; wbc, the one small confirmation set,
     * loses 0.015.
     */
    public static final int DEFAULT_MIN_STEPS = 40;

    /**
     * Off, by measurement (README, "Quality"; docs/benchmarks.md, "Session 22"): on the nine shared sets it gains
     * a little on the tuning and the confirmation sets alike (nine seeds: mean AUC-ROC +0.0010 all rows, +0.0004
     * split), and loses on the tables no default was chosen on (the four of src/bench/data/tabular-unseen −0.008 /
     * −0.003, the six MNIST tables −0.003 / −0.003).
     */
    public static final boolean DEFAULT_WEIGHTED_TRIM = false;

    /**
     * 3, by measurement (docs/benchmarks.md, "Session 23"; seeds 1–3, both protocols, the networks of the defaults
     * scored again): on the tables no default was chosen on the mean AUC-ROC rises at 2–5 passes against 1 (the four
     * shared confirmation sets +0.010 / +0.011, the four tables of src/bench/data/tabular-unseen +0.010 / +0.017, the
     * six MNIST tables +0.002 / +0.001), on the five tuning sets it falls by 0.001–0.002; 3 is the middle of that range.
     */
    public static final int DEFAULT_DENOISING_PASSES = 3;

    final IntArrayParam hiddenLayers;
    final Param<String> activation;
    final DoubleParam trimFraction;
    final BooleanParam weightedTrim;
    final Param<String> errorScaling;
    final DoubleParam inputNoise;
    final BooleanParam plainNetwork;
    final DoubleParam errorLimit;
    final IntParam denoisingPasses;

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
        weightedTrim = new BooleanParam(owner, "weightedTrim",
                "whether the trim ranks each minibatch's rows by their squared errors weighted feature by feature as"
                        + " the score weighs them (1 / the feature's median over the minibatch, at least 0.3 of the"
                        + " mean median, + 1 / the mean median) rather than by their plain sum: a row is left out for an"
                        + " error unusual for its feature, not for one in a feature every row reconstructs poorly."
                        + " Off by default: a gain of 0.001 of mean AUC-ROC on the shared tables, a loss of 0.003-0.008"
                        + " on tables no default was chosen on");
        errorScaling = new Param<>(owner, "errorScaling",
                "how each feature's squared reconstruction error is scaled before they are averaged into the score:"
                        + " 'median' divides it by its median over the training rows (an error counts by how unusual"
                        + " it is for its feature), 'none' keeps standardized units, 'balanced' (default) weighs each"
                        + " feature by both: 1 / its median + 1 / the mean of the features' medians (no median counts"
                        + " below 0.02 of their mean). On tables of ratings or counts whose features mostly sit at one"
                        + " value, try 'none'",
                ParamValidators.inArray(new String[] {ERROR_SCALING_BALANCED, ERROR_SCALING_MEDIAN,
                        ERROR_SCALING_NONE}));
        inputNoise = new DoubleParam(owner, "inputNoise",
                "standard deviation of the Gaussian noise added to each standardized feature of the training rows"
                        + " the network sees, their clean values staying its target (a denoising autoencoder): it"
                        + " learns to pull rows back towards where the training rows are dense, so rows far out in"
                        + " directions the normal rows vary in score high too. >= 0; 0 trains on the rows as they"
                        + " are (and is what trainingEngine 'dl4j-spark' needs)",
                ParamValidators.gtEq(0));
        plainNetwork = new BooleanParam(owner, "plainNetwork",
                "whether a second network, trained on the rows without the input noise, scores beside the denoising"
                        + " one (each score divided by its median over the training rows, the two averaged): the"
                        + " noise blurs relations the normal rows hold tightly, and rows that break them slightly"
                        + " score high in the plain network. Doubles the training. Without inputNoise there is one"
                        + " network either way");
        errorLimit = new DoubleParam(owner, "errorLimit",
                "above this multiple of its 99.5th percentile over the training rows, a feature's squared"
                        + " reconstruction error counts only logarithmically (L × (1 + ln(error / L))): a feature"
                        + " reconstructed almost exactly for most rows, heavily weighted by errorScaling, can no longer"
                        + " rank the rows alone, and a row further out still scores higher. > 0; 0: no limit. Applies"
                        + " with errorScaling 'median' or 'balanced' and costs no extra pass",
                ParamValidators.gtEq(0));
        denoisingPasses = new IntParam(owner, "denoisingPasses",
                "how many times the denoising network reconstructs a row to score it, each reconstruction"
                        + " reconstructed again: every pass moves the row further towards where the training rows are"
                        + " dense, so rows far from any dense region (a small cluster of anomalies, a row far out along"
                        + " a direction the normal rows vary in) move further and score higher. >= 1; 1 scores the"
                        + " reconstruction itself. Each pass is one more forward pass of that network in scoring."
                        + " Read at fit time (the error scales are measured on these reconstructions); not used"
                        + " without inputNoise",
                ParamValidators.gtEq(1));
        owner.setDefault(denoisingPasses, DEFAULT_DENOISING_PASSES);
        owner.setDefault(errorLimit, DEFAULT_ERROR_LIMIT);
        owner.setDefault(hiddenLayers, new int[0]);
        owner.setDefault(plainNetwork, DEFAULT_PLAIN_NETWORK);
        owner.setDefault(inputNoise, DEFAULT_INPUT_NOISE);
        owner.setDefault(errorScaling, DEFAULT_ERROR_SCALING);
        owner.setDefault(trimFraction, DEFAULT_TRIM_FRACTION);
        owner.setDefault(weightedTrim, DEFAULT_WEIGHTED_TRIM);
        owner.setDefault(activation, Activations.DEFAULT);
    }

    /** This detector's own default of a shared training param. */
    static void setSharedDefaults(AutoencoderParams<?> owner) {
        owner.setDefault(owner.minSteps(), DEFAULT_MIN_STEPS);
    }
}
