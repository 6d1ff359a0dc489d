package io.github.deepanomaly.score;

import io.github.deepanomaly.core.DetectorParamSet;
import io.github.deepanomaly.core.FeatureCheck;
import io.github.deepanomaly.core.SchemaChecks;
import io.github.deepanomaly.core.Standardization;
import java.io.Serializable;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Scores rows through Spark SQL expressions, one row at a time with a {@link DenseForwardPass}: the
 * other columns are never decoded or copied, Spark prunes what the query does not need, and the plan
 * stays a plain projection (batch or streaming). For small networks this beats {@link BatchScorer}'s
 * batches of DL4J calls; {@link #MAX_MULTIPLY_ADDS} says where that stops.
 *
 * <p>The expressions are marked nondeterministic although they are not: it is the only way to keep
 * Spark's optimizer from copying the network's pass into every expression that reads the score (a
 * filter on the prediction pushed below it, each derived column), which would run it several times per row.
 *
 * @param handleInvalid 'error', 'skip' or 'keep' for rows whose vector is unusable
 */
public record RowScorer(RowScore rowScore, Standardization standardization, String featuresCol,
        String handleInvalid) implements Serializable {

    /**
     * The largest network, in multiply-adds per row, scored one row at a time: below where both ways are
     * even. Measured on 2 cores by {@code benchmark --suite paths} (200k cached rows, default layers, sum
     * of the score, 2026-12-02), row by row against batched, one network: 3.97× at 1,110 multiply-adds (30
     * features), 2.00× at 2,000 (40), 1.56× at 4,500 (60), 1.47× at 8,000 (80), 0.87× at 12,500 (100),
     * 0.42× at 32,000 (160); the default pair of networks (this figure is per network): 2.13× at 2,000,
     * 1.77× at 4,500, 1.44× at 6,090 (70), 0.73–1.51× at 8,000 over three runs, 0.94× at 12,500, 0.47× at
     * 32,000. The limit stays under 8,000, where the pair's runs disagree.
     */
    public static final long MAX_MULTIPLY_ADDS = 6_000;

    /** Whether this way of scoring suits the network: true for the small networks of tabular data. */
    public static boolean suits(DenseForwardPass pass) {
        return pass.multiplyAddsPerRow() <= MAX_MULTIPLY_ADDS;
    }

    public RowScorer {
        if (rowScore.inputSize() != standardization.size()) {
            throw new IllegalArgumentException("The network takes " + rowScore.inputSize() + " inputs but the"
                    + " standardization has " + standardization.size());
        }
    }

    /**
     * {@code data} with the score appended as {@code scoreCol} and, when {@code explanation} is given,
     * the explanation as {@code explanationCol}; rows with an unusable vector are dropped ('skip'), kept
     * with nulls ('keep') or fail the query ('error').
     */
    public Dataset<Row> append(Dataset<Row> data, String scoreCol, FeatureExplanation explanation,
            String explanationCol) {
        Column features = SchemaChecks.column(featuresCol);
        Dataset<Row> scored;
        if (explanation == null) {
            scored = data.withColumn(scoreCol, functions.udf((UDF1<Vector, Double>) this::score,
                    DataTypes.DoubleType).asNondeterministic().withName("reconstructionError").apply(features));
        } else {
            // One pass gives both: a struct computed once (nondeterministic, so never copied), then split.
            UDF1<Vector, Row> scoreAndExplain = v -> {
                float[] input = usableInput(v);
                if (input == null) {
                    return null;
                }
                RowScore.Explained explained = rowScore.explain(input);
                return RowFactory.create(explained.score(), explanation.of(explained.contributions()));
            };
            String both = explanationCol + "_scored";
            scored = data.withColumn(both, functions.udf(scoreAndExplain, new StructType()
                            .add("score", DataTypes.DoubleType, false)
                            .add("explanation", FeatureExplanation.TYPE, false))
                    .asNondeterministic().withName("reconstructionError").apply(features))
                    .withColumn(scoreCol, SchemaChecks.column(both).getField("score"))
                    .withColumn(explanationCol, SchemaChecks.column(both).getField("explanation"))
                    .drop(both);
        }
        if (DetectorParamSet.HANDLE_SKIP.equals(handleInvalid)) {
            scored = scored.filter(SchemaChecks.column(scoreCol).isNotNull());
        }
        return scored;
    }

    /** The row's score; null for an unusable vector unless handleInvalid is 'error'. */
    Double score(Vector v) {
        float[] input = usableInput(v);
        return input == null ? null : rowScore.score(input);
    }

    private float[] usableInput(Vector v) {
        String problem = new FeatureCheck(standardization.size()).problem(v);
        if (problem != null) {
            if (DetectorParamSet.HANDLE_ERROR.equals(handleInvalid)) {
                throw FeatureCheck.unusableRow(featuresCol, problem);
            }
            return null;
        }
        float[] input = new float[standardization.size()];
        standardization.apply(v, input, 0);
        return input;
    }
}
