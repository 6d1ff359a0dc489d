package io.github.deepanomaly.score;

import java.io.Serializable;
import org.apache.spark.sql.types.DataType;

/**
 * How a row's per-feature score terms become the value of its explanation column: the strongest named
 * features of a table row ({@link FeatureExplanation}), or the per-pixel error map of an image
 * ({@link PixelHeatmap}).
 */
public interface Explanation extends Serializable {
    /** The explanation column's Spark type. */
    DataType type();

    /** One row's explanation, as a Row holds it, from its terms (one per feature, in feature order). */
    Object of(float[] contributions);
}
