package io.github.deepanomaly.bench;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;

/** Timing and the arithmetic of the figures, shared by the suites. */
final class Measure {
    private Measure() {
    }

    static double secondsSince(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    /**
     * Runs the scoring of every row: the sum of the score column needs each row's score, and brings one
     * number to the driver, so the time is the scoring's, not a collect's or a write's.
     */
    static double sumOfScores(Dataset<Row> scored, String scoreCol) {
        Row sum = scored.agg(functions.sum(functions.col(scoreCol))).first();
        return sum.isNullAt(0) ? Double.NaN : sum.getDouble(0);
    }

    static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    /** The slope of log(time) against log(size) between two sizes: 1 is linear growth. */
    static double growthExponent(long smallerSize, double smallerSeconds, long largerSize, double largerSeconds) {
        return Math.log(largerSeconds / smallerSeconds) / Math.log((double) largerSize / smallerSize);
    }

    static double ratio(double numerator, double denominator) {
        return denominator > 0 ? numerator / denominator : Double.NaN;
    }

    /** Figures in the order given, for the JSON line: name, value, name, value, ... */
    static Map<String, Object> figures(Object... namesAndValues) {
        Map<String, Object> figures = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            figures.put((String) namesAndValues[i], namesAndValues[i + 1]);
        }
        return figures;
    }

    /** Rounds a figure for the JSON line: 4 significant digits are more than the noise allows. */
    static double round(double value) {
        if (!Double.isFinite(value) || value == 0) {
            return value;
        }
        return new java.math.BigDecimal(value).round(new java.math.MathContext(4)).doubleValue();
    }
}
