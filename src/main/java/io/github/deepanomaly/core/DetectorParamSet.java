package io.github.deepanomaly.core;

import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.param.Params;

/**
 * The Param objects every detector shares. Each stage instance owns one set, created with the stage
 * as parent, because Spark ties a Param to the uid of the stage that declares it.
 */
public final class DetectorParamSet {
    public static final String HANDLE_ERROR = "error";
    public static final String HANDLE_SKIP = "skip";
    public static final String HANDLE_KEEP = "keep";
    public static final double MAX_CONTAMINATION = 0.5;
    public static final String NORMALIZATION_RANK = "rank";
    public static final String NORMALIZATION_UNIFY = "unify";
    public static final int DEFAULT_EXPLAIN_TOP_K = 3;

    final Param<String> featuresCol;
    final Param<String> scoreCol;
    final Param<String> predictionCol;
    final DoubleParam contamination;
    final Param<String> handleInvalid;
    final Param<String> explanationCol;
    final IntParam explainTopK;
    final Param<String> normalizedScoreCol;
    final Param<String> normalization;
    final Param<String> confidenceCol;

    public DetectorParamSet(Params owner) {
        featuresCol = new Param<>(owner, "featuresCol",
                "features column: a Vector of numbers, e.g. the output of a VectorAssembler");
        scoreCol = new Param<>(owner, "scoreCol",
                "output column for the anomaly score (double, higher = more anomalous)");
        predictionCol = new Param<>(owner, "predictionCol",
                "output column for the prediction: 1.0 = anomaly, 0.0 = normal; empty to leave it out");
        contamination = new DoubleParam(owner, "contamination",
                "expected share of anomalies in the training data, in [0, 0.5]: the threshold is the (1 - contamination)"
                        + " quantile of the training scores; 0 means no threshold and no prediction column",
                ParamValidators.inRange(0.0, MAX_CONTAMINATION));
        handleInvalid = new Param<>(owner, "handleInvalid",
                "what to do with rows whose features are null, NaN, infinite or of the wrong size: 'error' (fail with"
                        + " a count), 'skip' (drop them), 'keep' (keep them with a null score)",
                ParamValidators.inArray(new String[] {HANDLE_ERROR, HANDLE_SKIP, HANDLE_KEEP}));
        explanationCol = new Param<>(owner, "explanationCol",
                "output column explaining each score: array of (name, contribution) structs, the explainTopK"
                        + " features contributing most to it, strongest first. For the autoencoder a feature's"
                        + " contribution is its squared reconstruction error in standardized units (the score is"
                        + " their mean); names come from the features column's ML attributes (as VectorAssembler"
                        + " sets them), else f0, f1, ... Empty (default) to leave it out");
        explainTopK = new IntParam(owner, "explainTopK",
                "how many features explanationCol lists per row, >= 1", ParamValidators.gtEq(1));
        normalizedScoreCol = new Param<>(owner, "normalizedScoreCol",
                "output column for the score mapped to [0, 1] by the normalization method, against the training"
                        + " scores; empty (default) to leave it out");
        normalization = new Param<>(owner, "normalization",
                "how normalizedScoreCol maps scores to [0, 1]: 'rank' (default): the empirical CDF of the training"
                        + " scores, i.e. the share of training rows scoring at or below, read from a 1001-point"
                        + " quantile sketch kept in the model; 'unify': Gaussian scaling (Kriegel et al. 2011, as"
                        + " PyOD's unify), max(0, erf((score - mean) / (std * sqrt(2)))) with the training scores'"
                        + " mean and standard deviation",
                ParamValidators.inArray(new String[] {NORMALIZATION_RANK, NORMALIZATION_UNIFY}));
        confidenceCol = new Param<>(owner, "confidenceCol",
                "output column for the confidence in each row's prediction, in [0, 1]: ExCeeD (Perini et al."
                        + " 2020, as PyOD's predict_confidence), the probability that a detector trained on another"
                        + " sample of as many rows, expecting a contamination share of them to be anomalies, would"
                        + " predict the same; near 1 far from the threshold, about 0.5 at it. Needs contamination"
                        + " > 0. Empty (default) to leave it out");
        owner.setDefault(featuresCol, "features");
        owner.setDefault(scoreCol, "anomalyScore");
        owner.setDefault(predictionCol, "prediction");
        owner.setDefault(contamination, 0.1);
        owner.setDefault(handleInvalid, HANDLE_ERROR);
        owner.setDefault(explanationCol, "");
        owner.setDefault(explainTopK, DEFAULT_EXPLAIN_TOP_K);
        owner.setDefault(normalizedScoreCol, "");
        owner.setDefault(normalization, NORMALIZATION_RANK);
        owner.setDefault(confidenceCol, "");
    }
}
