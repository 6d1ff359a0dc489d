package io.github.deepanomaly.core;

import org.apache.spark.ml.param.DoubleParam;
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

    final Param<String> featuresCol;
    final Param<String> scoreCol;
    final Param<String> predictionCol;
    final DoubleParam contamination;
    final Param<String> handleInvalid;

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
        owner.setDefault(featuresCol, "features");
        owner.setDefault(scoreCol, "anomalyScore");
        owner.setDefault(predictionCol, "prediction");
        owner.setDefault(contamination, 0.1);
        owner.setDefault(handleInvalid, HANDLE_ERROR);
    }
}
