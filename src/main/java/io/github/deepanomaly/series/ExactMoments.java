package io.github.deepanomaly.series;

import java.io.Serializable;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.List;

/**
 * Count, sum and sum of squares of each value column of a series, held exactly (a double and its square
 * are exact decimals, and so are their sums). Merged in any order, by any partitioning of the rows, they
 * give the same mean and standard deviation to the last bit: the scaling every window of the series goes
 * through, and so the trained network, does not depend on how the input happened to be partitioned
 * (Spark's {@code avg} and {@code stddev_pop} add doubles in task order).
 */
final class ExactMoments implements Serializable {
    private static final long serialVersionUID = 1L;

    private long count;
    private final BigDecimal[] sum;
    private final BigDecimal[] sumOfSquares;

    private ExactMoments(int numValues) {
        sum = new BigDecimal[numValues];
        sumOfSquares = new BigDecimal[numValues];
        java.util.Arrays.fill(sum, BigDecimal.ZERO);
        java.util.Arrays.fill(sumOfSquares, BigDecimal.ZERO);
    }

    /** The moments of one row's values (all finite). */
    static ExactMoments of(List<Double> values) {
        ExactMoments m = new ExactMoments(values.size());
        m.count = 1;
        for (int j = 0; j < values.size(); j++) {
            BigDecimal x = new BigDecimal(values.get(j));
            m.sum[j] = x;
            m.sumOfSquares[j] = x.multiply(x);
        }
        return m;
    }

    ExactMoments merge(ExactMoments other) {
        ExactMoments m = new ExactMoments(sum.length);
        m.count = count + other.count;
        for (int j = 0; j < sum.length; j++) {
            m.sum[j] = sum[j].add(other.sum[j]);
            m.sumOfSquares[j] = sumOfSquares[j].add(other.sumOfSquares[j]);
        }
        return m;
    }

    double[] mean() {
        double[] out = new double[sum.length];
        BigDecimal n = BigDecimal.valueOf(count);
        for (int j = 0; j < out.length; j++) {
            out[j] = sum[j].divide(n, MathContext.DECIMAL128).doubleValue();
        }
        return out;
    }

    /** Population standard deviation: sqrt((Σx² − (Σx)²/n) / n). */
    double[] std() {
        double[] out = new double[sum.length];
        BigDecimal n = BigDecimal.valueOf(count);
        for (int j = 0; j < out.length; j++) {
            BigDecimal centered = sumOfSquares[j].subtract(sum[j].multiply(sum[j]).divide(n, MathContext.DECIMAL128));
            out[j] = Math.sqrt(Math.max(0.0, centered.divide(n, MathContext.DECIMAL128).doubleValue()));
        }
        return out;
    }
}
