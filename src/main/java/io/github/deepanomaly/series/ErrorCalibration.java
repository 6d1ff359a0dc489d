package io.github.deepanomaly.series;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Each series' statistics of its smoothed training errors, from rows (series, error) partitioned by series
 * and in time order within it, the way the model's scoring pass leaves them: the exact median and
 * interquartile range and, with {@code dynamic}, the series' {@link DynamicThreshold}. One series' errors
 * are held in its task's memory (8 bytes a row) while they are sorted; one row per series comes out.
 */
public final class ErrorCalibration implements MapPartitionsFunction<Row, Row> {
    public static final StructType SCHEMA = new StructType()
            .add("series", DataTypes.StringType, false)
            .add("median", DataTypes.DoubleType, false)
            .add("iqr", DataTypes.DoubleType, false)
            .add("threshold", DataTypes.DoubleType, false);

    private final boolean dynamic;
    private final double minDrop;

    public ErrorCalibration(boolean dynamic, double minDrop) {
        this.dynamic = dynamic;
        this.minDrop = minDrop;
    }

    @Override
    public Iterator<Row> call(Iterator<Row> rows) {
        List<Row> out = new ArrayList<>();
        String series = null;
        double[] errors = new double[1024];
        int n = 0;
        while (rows.hasNext()) {
            Row r = rows.next();
            String s = r.getString(0);
            if (series != null && !series.equals(s)) {
                out.add(summary(series, Arrays.copyOf(errors, n)));
                n = 0;
            }
            series = s;
            if (n == errors.length) {
                errors = Arrays.copyOf(errors, 2 * n);
            }
            errors[n++] = r.getDouble(1);
        }
        if (series != null) {
            out.add(summary(series, Arrays.copyOf(errors, n)));
        }
        return out.iterator();
    }

    private Row summary(String series, double[] inTimeOrder) {
        double threshold = dynamic ? DynamicThreshold.of(inTimeOrder, minDrop) : Double.NaN;
        double[] sorted = inTimeOrder.clone();
        Arrays.sort(sorted);
        return RowFactory.create(series, quantile(sorted, 0.5), quantile(sorted, 0.75) - quantile(sorted, 0.25),
                threshold);
    }

    /** The smallest value with at least a share {@code q} of the values at or below it. */
    static double quantile(double[] sorted, double q) {
        int rank = (int) Math.ceil(q * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }
}
