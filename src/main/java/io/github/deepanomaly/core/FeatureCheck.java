package io.github.deepanomaly.core;

import java.io.Serializable;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;

/** Decides whether a feature vector can go through the network, and says why not when it cannot. */
public record FeatureCheck(int size) implements Serializable {

    /** Null when {@code v} is usable; otherwise a short reason such as "size 3 instead of 5". */
    public String problem(Vector v) {
        if (v == null) {
            return "null";
        }
        if (v.size() != size) {
            return "size " + v.size() + " instead of " + size;
        }
        double[] values = v instanceof org.apache.spark.ml.linalg.DenseVector d ? d.values()
                : v.toSparse().values();
        for (double value : values) {
            if (!Double.isFinite(value)) {
                return "NaN or infinite value";
            }
        }
        return null;
    }

    /** The error for an unusable row when handleInvalid is 'error', naming the column and the way out. */
    public static IllegalArgumentException unusableRow(String vectorCol, String problem) {
        return new IllegalArgumentException("Column '" + vectorCol + "' has an unusable row (" + problem
                + "); fix the data or set handleInvalid to 'skip' (drop such rows) or 'keep' (score them null)");
    }

    /** A boolean column, true for rows whose vector in {@code vectorCol} is usable. */
    public Column isValid(String vectorCol) {
        UserDefinedFunction udf = functions.udf((UDF1<Vector, Boolean>) v -> problem(v) == null,
                DataTypes.BooleanType);
        return udf.apply(functions.col(vectorCol));
    }

    /** A string column with the reason a row is unusable, null for usable rows. */
    public Column problemOf(String vectorCol) {
        UserDefinedFunction udf = functions.udf((UDF1<Vector, String>) this::problem, DataTypes.StringType);
        return udf.apply(functions.col(vectorCol));
    }
}
