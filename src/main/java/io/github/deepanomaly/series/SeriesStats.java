package io.github.deepanomaly.series;

import java.io.Serializable;
import java.util.Arrays;

/**
 * What the model keeps of one series: how its values are scaled before the network sees them,
 * (x - mean) / scale per value column, and how its smoothed forecast errors are scaled into a score,
 * (error - errorCenter) / errorScale, so that scores of series with different noise levels are comparable.
 *
 * @param mean        mean of each value column over the series' training rows
 * @param scale       their population standard deviation (1 for a constant column)
 * @param errorCenter where the series' scores start: the median of its smoothed training errors, or with
 *                    thresholdMethod 'dynamic' its {@link DynamicThreshold} (0 until calibrated)
 * @param errorScale  the interquartile range of those errors, at least {@link #MIN_ERROR_SCALE} (1 until calibrated)
 * @param period      the series' seasonal period in steps, found on its training rows ({@link SeasonalPeriod});
 *                    0: none (or seasonalCycles 0), and the error is the forecast error alone
 * @param cycles      the earlier periods a step is compared with (seasonalCycles at fit time), kept here so that a
 *                    fitted model scores the way its thresholds were calibrated whatever is set on it later
 * @param forecastErrorMean the mean of the series' smoothed training forecast errors (0 until calibrated)
 * @param seasonalErrorMean the mean of its smoothed training seasonal errors (0 until calibrated, or without a period)
 */
public record SeriesStats(double[] mean, double[] scale, double errorCenter, double errorScale, int period, int cycles,
        double forecastErrorMean, double seasonalErrorMean) implements Serializable {
    /**
     * The smallest error scale, in units of the series' own standard deviation: a series the network
     * forecasts almost perfectly would otherwise turn float rounding into huge scores.
     */
    public static final double MIN_ERROR_SCALE = 1e-3;

    public static SeriesStats ofValues(double[] mean, double[] std) {
        double[] scale = new double[std.length];
        for (int j = 0; j < std.length; j++) {
            scale[j] = std[j] > 0 && Double.isFinite(std[j]) ? std[j] : 1.0;
        }
        return new SeriesStats(mean, scale, 0.0, 1.0, 0, 0, 0.0, 0.0);
    }

    public SeriesStats withErrors(double center, double spread) {
        return new SeriesStats(mean, scale, center, Math.max(spread, MIN_ERROR_SCALE), period, cycles, forecastErrorMean,
                seasonalErrorMean);
    }

    /** With a seasonal period of {@code steps} (0: none), compared over {@code cycles} earlier periods. */
    public SeriesStats withPeriod(int steps, int cycles) {
        return new SeriesStats(mean, scale, errorCenter, errorScale, steps, steps > 0 ? cycles : 0, forecastErrorMean,
                seasonalErrorMean);
    }

    public SeriesStats withErrorMeans(double forecast, double seasonal) {
        return new SeriesStats(mean, scale, errorCenter, errorScale, period, cycles, forecast, seasonal);
    }

    /** Whether the series has a seasonal period to compare its steps over (its seasonal errors are computed). */
    public boolean hasPeriod() {
        return period > 0 && cycles > 0;
    }

    /** Whether the series' error has a seasonal part: a period and both error means known and positive. */
    public boolean seasonal() {
        return hasPeriod() && forecastErrorMean > 0 && seasonalErrorMean > 0;
    }

    /**
     * The error the threshold and score see, from a smoothed forecast error and a smoothed seasonal error
     * (NaN: not yet known, too early in the series): without a seasonal part the forecast error itself;
     * with one, each error in units of its own training mean, summed, so that the two count alike whatever
     * their scales; a seasonal error not yet known counts as its mean (1).
     */
    public double combined(double forecastError, double seasonalError) {
        return seasonal() ? combined(forecastError, seasonalError, forecastErrorMean, seasonalErrorMean) : forecastError;
    }

    /** {@link #combined(double, double)} given the two training means (both positive). */
    static double combined(double forecastError, double seasonalError, double forecastMean, double seasonalMean) {
        return forecastError / forecastMean + (Double.isNaN(seasonalError) ? 1.0 : seasonalError / seasonalMean);
    }

    /** The scaled values of one row, as the network reads them. */
    public float[] scaled(double[] values) {
        float[] out = new float[values.length];
        for (int j = 0; j < values.length; j++) {
            out[j] = (float) ((values[j] - mean[j]) / scale[j]);
        }
        return out;
    }

    public double score(double smoothedError) {
        return (smoothedError - errorCenter) / errorScale;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SeriesStats s && Arrays.equals(mean, s.mean) && Arrays.equals(scale, s.scale)
                && Double.compare(errorCenter, s.errorCenter) == 0 && Double.compare(errorScale, s.errorScale) == 0
                && period == s.period && cycles == s.cycles && Double.compare(forecastErrorMean, s.forecastErrorMean) == 0
                && Double.compare(seasonalErrorMean, s.seasonalErrorMean) == 0;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(mean) * 31 + Arrays.hashCode(scale);
    }
}
