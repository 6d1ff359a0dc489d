package io.github.deepanomaly.score;

import io.github.deepanomaly.core.SchemaChecks;
import java.io.Serializable;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;

/**
 * The columns derived from a score column, appended in this order, each left out when its column name is
 * empty: the prediction, the normalized score and the confidence. A null score (an unusable row kept by
 * handleInvalid 'keep') gets null in all of them. Plain column expressions, whichever way the score was
 * computed.
 *
 * @param threshold     scores at or above it are predicted anomalies; NaN when the model has none
 * @param training      the training score distribution; needed by normalization and confidence
 * @param normalization how the normalized score is computed; null when normalizedScoreCol is empty
 * @param confidence    the confidence in the prediction; null when confidenceCol is empty
 */
public record ScoreOutputs(double threshold, String predictionCol, ScoreDistribution training,
        ScoreNormalization normalization, String normalizedScoreCol, ExceedConfidence confidence,
        String confidenceCol) implements Serializable {

    public ScoreOutputs {
        if ((!predictionCol.isEmpty() || confidence != null) && Double.isNaN(threshold)) {
            throw new IllegalArgumentException("a prediction or confidence needs a threshold");
        }
        if ((normalization != null || confidence != null) && training == null) {
            throw new IllegalArgumentException("normalized scores and confidence need the training scores");
        }
        if ((normalization == null) != normalizedScoreCol.isEmpty() || (confidence == null) != confidenceCol.isEmpty()) {
            throw new IllegalArgumentException("a derived column needs both its name and its function");
        }
    }

    public Dataset<Row> appendTo(Dataset<Row> scored, String scoreCol) {
        Column score = SchemaChecks.column(scoreCol);
        Dataset<Row> out = scored;
        if (!predictionCol.isEmpty()) {
            out = out.withColumn(predictionCol, functions.when(score.geq(threshold), 1.0)
                    .when(score.isNotNull(), 0.0));
        }
        if (normalization != null) {
            UDF1<Double, Double> normalize = s -> s == null ? null : normalization.apply(training, s);
            out = out.withColumn(normalizedScoreCol, functions.udf(normalize, DataTypes.DoubleType).apply(score));
        }
        if (confidence != null) {
            UDF1<Double, Double> confident = s -> s == null ? null
                    : confidence.confidence(training.cdf(s), s >= threshold);
            out = out.withColumn(confidenceCol, functions.udf(confident, DataTypes.DoubleType).apply(score));
        }
        return out;
    }
}
