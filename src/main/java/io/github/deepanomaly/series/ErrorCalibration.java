package io.github.deepanomaly.series;

import java.util.Arrays;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Each series' statistics of its smoothed training errors, from rows (series, forecast error, seasonal error
 * or null) partitioned by series and in time order within it, the way the model's scoring pass leaves them:
 * the means of the two errors, and of their combination ({@link SeriesStats#combined}; the forecast error
 * alone for a series without seasonal errors) the exact median and interquartile range and, with
 * {@code dynamic}, the series' {@link DynamicThreshold}. One series' errors are held in its task's memory
 * (16 bytes a row) while they are sorted; one row per series comes out.
 */
public final class ErrorCalibration extends PerSeriesSummary {
    public static final StructType SCHEMA = new StructType()
            .add("series", DataTypes.StringType, false)
            .add("median", DataTypes.DoubleType, false)
            .add("iqr", DataTypes.DoubleType, false)
            .add("threshold", DataTypes.DoubleType, false)
            .add("forecastMean", DataTypes.DoubleType, false)
            .add("seasonalMean", DataTypes.DoubleType, false);

    private final boolean dynamic;
    private final double minDrop;

    public ErrorCalibration(boolean dynamic, double minDrop) {
        this.dynamic = dynamic;
        this.minDrop = minDrop;
    }

    @Override
    Gathered gather() {
        return new Gathered() {
            private double[] forecast = new double[1024];
            private double[] seasonal = new double[1024];
            private int n;

            @Override
            public void add(Row row) {
                if (n == forecast.length) {
                    forecast = Arrays.copyOf(forecast, 2 * n);
                    seasonal = Arrays.copyOf(seasonal, 2 * n);
                }
                forecast[n] = row.getDouble(1);
                seasonal[n++] = row.isNullAt(2) ? Double.NaN : row.getDouble(2);
            }

            @Override
            public Row summary(String series) {
                return ErrorCalibration.this.summary(series, Arrays.copyOf(forecast, n), Arrays.copyOf(seasonal, n));
            }
        };
    }

    private Row summary(String series, double[] forecast, double[] seasonal) {
        double forecastMean = 0;
        double seasonalMean = 0;
        int seasonalSteps = 0;
        for (int i = 0; i < forecast.length; i++) {
            forecastMean += forecast[i];
            if (!Double.isNaN(seasonal[i])) {
                seasonalMean += seasonal[i];
                seasonalSteps++;
            }
        }
        forecastMean /= forecast.length;
        seasonalMean = seasonalSteps == 0 ? 0.0 : seasonalMean / seasonalSteps;
        double[] inTimeOrder = forecast;
        if (forecastMean > 0 && seasonalMean > 0) {
            inTimeOrder = new double[forecast.length];
            for (int i = 0; i < forecast.length; i++) {
                inTimeOrder[i] = SeriesStats.combined(forecast[i], seasonal[i], forecastMean, seasonalMean);
            }
        }
        double threshold = dynamic ? DynamicThreshold.of(inTimeOrder, minDrop) : Double.NaN;
        double[] sorted = inTimeOrder.clone();
        Arrays.sort(sorted);
        return RowFactory.create(series, quantile(sorted, 0.5), quantile(sorted, 0.75) - quantile(sorted, 0.25),
                threshold, forecastMean, seasonalMean);
    }

    /** The smallest value with at least a share {@code q} of the values at or below it. */
    static double quantile(double[] sorted, double q) {
        int rank = (int) Math.ceil(q * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }
}
