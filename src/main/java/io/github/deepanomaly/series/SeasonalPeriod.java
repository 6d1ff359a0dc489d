package io.github.deepanomaly.series;

import java.util.ArrayList;
import java.util.List;
import org.apache.commons.math3.transform.DftNormalization;
import org.apache.commons.math3.transform.FastFourierTransformer;
import org.apache.commons.math3.transform.TransformType;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Each series' seasonal period, from its training rows: the lag of the highest peak of the autocorrelation
 * after it first turns negative (so that the slow decay of a smooth series is not taken for a cycle),
 * among lags short enough that the series holds {@code cycles} + 1 periods, kept only when that
 * autocorrelation reaches {@link #MIN_AUTOCORRELATION}; otherwise 0 (no period). With several value columns,
 * their autocorrelations are averaged. Reads rows (series, values) partitioned by series and in time order
 * within it; one series' values are held in its task's memory (8 bytes a value) and its autocorrelation
 * computed by FFT, O(n log n); one row per series comes out.
 */
public final class SeasonalPeriod extends PerSeriesSummary {
    /**
     * The autocorrelation a cycle must reach: on NAB the daily or weekly cycles of the series that have one
     * reach 0.80–0.94 and the best lag of the series without one 0.01–0.25; 0.5 lies between.
     */
    public static final double MIN_AUTOCORRELATION = 0.5;
    public static final StructType SCHEMA = new StructType()
            .add("series", DataTypes.StringType, false)
            .add("period", DataTypes.IntegerType, false);

    private final int cycles;

    public SeasonalPeriod(int cycles) {
        this.cycles = cycles;
    }

    @Override
    Gathered gather() {
        return new Gathered() {
            private final List<double[]> steps = new ArrayList<>();

            @Override
            public void add(Row row) {
                List<Double> values = row.getList(1);
                double[] step = new double[values.size()];
                for (int j = 0; j < step.length; j++) {
                    step[j] = values.get(j);
                }
                steps.add(step);
            }

            @Override
            public Row summary(String series) {
                return RowFactory.create(series, of(steps, cycles));
            }
        };
    }

    /** The period of one series' steps (each the values of one row, in time order); 0: none. */
    public static int of(List<double[]> steps, int cycles) {
        int n = steps.size();
        int maxLag = n / (cycles + 1);
        if (cycles < 1 || maxLag < 2) {
            return 0;
        }
        int numValues = steps.get(0).length;
        double[] mean = new double[maxLag + 1];
        int columns = 0;
        for (int j = 0; j < numValues; j++) {
            double[] x = new double[n];
            for (int t = 0; t < n; t++) {
                x[t] = steps.get(t)[j];
            }
            double[] a = autocorrelation(x, maxLag);
            if (a != null) {
                columns++;
                for (int l = 0; l <= maxLag; l++) {
                    mean[l] += a[l];
                }
            }
        }
        if (columns == 0) {
            return 0;
        }
        int zero = -1;
        for (int l = 1; l <= maxLag && zero < 0; l++) {
            if (mean[l] < 0) {
                zero = l;
            }
        }
        if (zero < 0) {
            return 0;
        }
        // a peak, not the edge of the lags searched: a cycle longer than maxLag would otherwise show at maxLag
        int best = 0;
        for (int l = Math.max(zero, 1); l < maxLag; l++) {
            if (mean[l] >= mean[l - 1] && mean[l] >= mean[l + 1] && (best == 0 || mean[l] > mean[best])) {
                best = l;
            }
        }
        return best > 0 && mean[best] / columns >= MIN_AUTOCORRELATION ? best : 0;
    }

    /** Autocorrelation at lags 0..maxLag (the biased estimate, by FFT); null for a constant column. */
    static double[] autocorrelation(double[] x, int maxLag) {
        int n = x.length;
        double m = 0;
        for (double v : x) {
            m += v;
        }
        m /= n;
        int size = Integer.highestOneBit(Math.max(1, 2 * n - 1)) << 1;
        double[][] data = new double[2][size];
        for (int t = 0; t < n; t++) {
            data[0][t] = x[t] - m;
        }
        FastFourierTransformer.transformInPlace(data, DftNormalization.STANDARD, TransformType.FORWARD);
        for (int i = 0; i < size; i++) {
            data[0][i] = data[0][i] * data[0][i] + data[1][i] * data[1][i];
            data[1][i] = 0;
        }
        FastFourierTransformer.transformInPlace(data, DftNormalization.STANDARD, TransformType.INVERSE);
        if (!(data[0][0] > 1e-12 * n)) {
            return null;
        }
        double[] a = new double[maxLag + 1];
        for (int l = 0; l <= maxLag; l++) {
            a[l] = data[0][l] / data[0][0];
        }
        return a;
    }
}
