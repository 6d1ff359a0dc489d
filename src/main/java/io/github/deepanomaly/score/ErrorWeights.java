package io.github.deepanomaly.score;

import java.io.Serializable;

/**
 * How each feature's squared reconstruction error counts in a row's score: times its weight ({@link ErrorScales}),
 * and, above the feature's limit, only logarithmically. The limit is there because a few features of a table can
 * have errors that are heavy-tailed among the normal rows themselves: a feature the network reconstructs almost
 * exactly for most rows gets a large weight, and the rare normal rows with an unusual value there then score
 * hundreds of times the typical row, above anomalies whose error is spread over many features (shuttle: three such
 * features put 0.7 % of its normal rows above 5 % of its anomalies). Above the limit the error still grows, so a
 * row further out on one feature still scores higher, but one feature can no longer decide the ranking alone.
 *
 * @param weights one per feature, or null: every squared error as it is
 * @param limits  one per feature, in squared standardized units (before the weight), or null: no limit
 */
public record ErrorWeights(float[] weights, float[] limits) implements Serializable {

    /** Every squared error as it is. */
    public static final ErrorWeights NONE = new ErrorWeights(null, null);

    public ErrorWeights {
        if (weights != null && limits != null && weights.length != limits.length) {
            throw new IllegalArgumentException(weights.length + " weights but " + limits.length + " limits");
        }
    }

    /**
     * What feature {@code j}'s squared error {@code squared} adds to the row's sum: up to its limit L the error itself,
     * above it L × (1 + ln(squared / L)) (continuous, with the same slope at L, and still increasing); times the
     * feature's weight.
     */
    public double contribution(int j, double squared) {
        double counted = squared;
        if (limits != null) {
            double limit = limits[j];
            if (squared > limit && limit > 0) {
                counted = limit * (1 + Math.log(squared / limit));
            }
        }
        return weights == null ? counted : counted * weights[j];
    }
}
