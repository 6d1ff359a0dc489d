package io.github.deepanomaly.series;

import io.github.deepanomaly.core.DetectorParamSet;
import io.github.deepanomaly.score.FeatureExplanation;
import java.io.Serializable;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Scores the steps of series in time order, the same way for a batch (a sorted partition) and a stream
 * (a series' rows of one micro-batch, with its state from the one before), for both methods. A step's score:
 * <ol>
 * <li>forecast: the network forecasts the step from the series' previous usable steps, every
 *     {@code windowStride}-th of the last (windowSize − 1) · windowStride + 1 (none without that many: the
 *     score is null); reconstruct: the network reconstructs the window that ends at the step (the step is its
 *     last sample, the window the same samples of the step and the ones before it; null without a full
 *     window), and the step's error is that of its own, last, sample. Each row thus has one window, the one
 *     in which its error is measured, and the state between rows (or micro-batches) is the same for both:
 *     the series' last window span of steps;</li>
 * <li>each value column's absolute error, in the series' scaled units, is smoothed by an EWMA
 *     over the series' steps (weight {@code alpha} on the newest); those are the explanation's contributions;</li>
 * <li>for a series with a seasonal period ({@link SeriesStats#period}), each value column's seasonal error,
 *     |step − the mean of the steps 1..{@link SeriesStats#cycles} periods before it| in scaled units, is smoothed by an EWMA
 *     of its own (weight {@code seasonalAlpha}), and each column's error becomes the sum of its smoothed forecast
 *     and seasonal errors, each in units of the series' training mean ({@link SeriesStats#combined}); those
 *     are the explanation's contributions;</li>
 * <li>their mean is normalized by the series' own error statistics from training, (error − center) / IQR,
 *     the center being the median or the series' dynamic threshold ({@link SeriesStats#score}); with
 *     {@code normalize} off (during calibration) the mean itself.</li>
 * </ol>
 * Forecasts (reconstructions) of a chunk of steps run as one network call.
 */
public final class ForecastScorer implements Serializable {
    private final int windowSize;
    private final int windowStride;
    private final int numValues;
    private final double alpha;
    private final Map<String, SeriesStats> stats;
    private final boolean normalize;
    private final String handleInvalid;
    private final boolean reconstruct;
    private final double seasonalAlpha;

    public ForecastScorer(int windowSize, int windowStride, int numValues, double alpha, Map<String, SeriesStats> stats,
            boolean normalize, String handleInvalid, boolean reconstruct, double seasonalAlpha) {
        this.reconstruct = reconstruct;
        this.seasonalAlpha = seasonalAlpha;
        this.windowSize = windowSize;
        this.windowStride = windowStride;
        this.numValues = numValues;
        this.alpha = alpha;
        this.stats = stats;
        this.normalize = normalize;
        this.handleInvalid = handleInvalid;
    }

    public ForecastState newState() {
        return new ForecastState(windowSize, windowStride, numValues);
    }

    /** One row to score and, once scored, its score (null: none) and per-column contributions. */
    public static final class Step {
        final ForecastState state;
        final SeriesStats series;
        final float[] scaled;
        int forecast = -1;
        public Double score;
        public double[] contributions;
        /** The step's smoothed seasonal errors, one per value column; null: none (no period, or too early). */
        double[] seasonal;

        Step(ForecastState state, SeriesStats series, float[] scaled) {
            this.state = state;
            this.series = series;
            this.scaled = scaled;
        }
    }

    /**
     * The step of a row of the keyed table (its {@link SeriesColumns#VALUES} at {@code valuesIndex}) in series
     * {@code series}, whose state is {@code state}; a row whose values are unusable gets no score and leaves the
     * state as it was, or fails with handleInvalid 'error'.
     */
    public Step step(ForecastState state, String series, Row row, int valuesIndex) {
        SeriesStats s = stats.get(series);
        double[] values = values(row, valuesIndex);
        if (values == null) {
            if (DetectorParamSet.HANDLE_ERROR.equals(handleInvalid)) {
                throw new IllegalArgumentException(String.format(Locale.ROOT, "A row of %s has a null, NaN or"
                        + " infinite value (%s); fix the data or set handleInvalid to 'skip' or 'keep'",
                        series.isEmpty() ? "the series" : "series '" + series + "'",
                        row.get(valuesIndex)));
            }
            return new Step(state, s, null);
        }
        return new Step(state, s, s == null ? null : s.scaled(values));
    }

    private double[] values(Row row, int valuesIndex) {
        if (row.isNullAt(valuesIndex)) {
            return null;
        }
        List<Object> list = row.getList(valuesIndex);
        double[] out = new double[list.size()];
        for (int j = 0; j < out.length; j++) {
            Object v = list.get(j);
            if (v == null || !Double.isFinite((Double) v)) {
                return null;
            }
            out[j] = (Double) v;
        }
        return out;
    }

    /** Scores the steps, in order (steps of one series in time order; series may interleave). */
    public void score(List<Step> steps, MultiLayerNetwork network) {
        int width = numValues * windowSize;
        float[] input = new float[steps.size() * width];
        int windows = 0;
        for (Step s : steps) {
            if (s.scaled != null) {
                if (s.series.hasPeriod()) {
                    s.seasonal = s.state.seasonal(s.scaled, s.series.period(), s.series.cycles(), seasonalAlpha);
                }
                // forecast: the window is the series' steps before this one, taken before the step joins them;
                // reconstruct: the window ending at this step, taken after it joins them
                if (reconstruct) {
                    s.state.push(s.scaled);
                }
                if (s.state.hasWindow()) {
                    s.forecast = windows++;
                    s.state.writeWindow(input, s.forecast * width);
                }
                if (!reconstruct) {
                    s.state.push(s.scaled);
                }
            }
        }
        if (windows == 0) {
            return;
        }
        if (windows < steps.size()) {
            input = java.util.Arrays.copyOf(input, windows * width);
        }
        INDArray output = network.output(Nd4j.create(input, new long[] {windows, numValues, windowSize}, 'c'));
        long outputWidth = output.length() / windows;
        float[] flat = output.dup('c').data().asFloat();
        double[] errors = new double[numValues];
        for (Step s : steps) {
            if (s.forecast < 0) {
                continue;
            }
            long base = s.forecast * outputWidth;
            for (int j = 0; j < numValues; j++) {
                // forecast output [windows, horizon · values], the step's own first; reconstruction output
                // [windows, values, time], the step its window's last time
                long at = reconstruct ? base + (long) j * windowSize + windowSize - 1 : base + j;
                errors[j] = Math.abs(flat[(int) at] - s.scaled[j]);
            }
            double[] smoothed = s.state.smooth(errors, alpha);
            double mean = 0;
            for (int j = 0; j < numValues; j++) {
                smoothed[j] = s.series.combined(smoothed[j], s.seasonal == null ? Double.NaN : s.seasonal[j]);
                mean += smoothed[j];
            }
            mean /= numValues;
            s.contributions = smoothed;
            s.score = normalize ? s.series.score(mean) : mean;
        }
    }

    /** The mean of the step's smoothed seasonal errors over its value columns; null: none. */
    public static Double seasonalError(Step s) {
        if (s.score == null || s.seasonal == null) {
            return null;
        }
        double mean = 0;
        for (double e : s.seasonal) {
            mean += e;
        }
        return mean / s.seasonal.length;
    }

    /** The explanation entries of a scored step: each value column's smoothed error. */
    public static scala.collection.Seq<Row> explain(FeatureExplanation explanation, Step s) {
        float[] c = new float[s.contributions.length];
        for (int j = 0; j < c.length; j++) {
            c[j] = (float) s.contributions[j];
        }
        return explanation.of(c);
    }
}
