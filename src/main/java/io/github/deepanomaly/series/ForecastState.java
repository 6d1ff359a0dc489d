package io.github.deepanomaly.series;

import java.io.Serializable;

/**
 * What scoring a series needs to remember between rows (and, when streaming, between micro-batches): its
 * last (windowSize − 1) · windowStride + 1 scaled steps and the smoothed forecast error of each value column
 * and, for a series with a seasonal period, its last cycles · period scaled steps and the smoothed seasonal
 * error of each value column.
 */
public final class ForecastState implements Serializable {
    private static final long serialVersionUID = 1L;

    private final int windowSize;
    private final int windowStride;
    /** Steps kept: from the window's first sample to its last. */
    private final int span;
    private final int numValues;
    /** The last steps, oldest first, time-major. */
    private final float[] history;
    private int filled;
    /** The EWMA of each value column's absolute error; null before the series' first forecast. */
    private double[] smoothed;
    /** The last cycles · period steps, a ring from {@link #seasonalNext} (the oldest); null before the first seasonal step. */
    private float[] seasonalHistory;
    private int seasonalNext;
    private int seasonalFilled;
    /** The EWMA of each value column's seasonal error; null before the first. */
    private double[] seasonalSmoothed;

    public ForecastState(int windowSize, int windowStride, int numValues) {
        this.windowSize = windowSize;
        this.windowStride = windowStride;
        this.span = (windowSize - 1) * windowStride + 1;
        this.numValues = numValues;
        this.history = new float[span * numValues];
    }

    public boolean hasWindow() {
        return filled == span;
    }

    /** Writes the window in DL4J's recurrent layout for one example, [values, time], at {@code offset}. */
    public void writeWindow(float[] into, int offset) {
        for (int t = 0; t < windowSize; t++) {
            for (int j = 0; j < numValues; j++) {
                into[offset + j * windowSize + t] = history[t * windowStride * numValues + j];
            }
        }
    }

    public void push(float[] step) {
        if (filled == span) {
            System.arraycopy(history, numValues, history, 0, history.length - numValues);
            System.arraycopy(step, 0, history, history.length - numValues, numValues);
        } else {
            System.arraycopy(step, 0, history, filled * numValues, numValues);
            filled++;
        }
    }

    /** Folds one step's per-column absolute errors into the EWMA (starting at the first errors) and returns it. */
    public double[] smooth(double[] errors, double alpha) {
        smoothed = fold(smoothed, errors, alpha);
        return smoothed.clone();
    }

    /** An EWMA state with {@code errors} folded in (weight {@code alpha}); a null state starts at them. */
    private static double[] fold(double[] state, double[] errors, double alpha) {
        if (state == null) {
            return errors.clone();
        }
        for (int j = 0; j < state.length; j++) {
            state[j] = alpha * errors[j] + (1 - alpha) * state[j];
        }
        return state;
    }

    /**
     * Folds one step into the seasonal history and returns the EWMA of each value column's seasonal error,
     * |step − the mean of the steps 1..cycles periods before it| (starting at the first), or null while the
     * series has fewer than cycles · period steps before this one.
     */
    public double[] seasonal(float[] step, int period, int cycles, double alpha) {
        int steps = period * cycles;
        if (seasonalHistory == null) {
            seasonalHistory = new float[steps * numValues];
        }
        double[] out = null;
        if (seasonalFilled == steps) {
            double[] errors = new double[numValues];
            for (int j = 0; j < numValues; j++) {
                double past = 0;
                for (int k = 1; k <= cycles; k++) {
                    past += seasonalHistory[Math.floorMod(seasonalNext - k * period, steps) * numValues + j];
                }
                errors[j] = Math.abs(step[j] - past / cycles);
            }
            seasonalSmoothed = fold(seasonalSmoothed, errors, alpha);
            out = seasonalSmoothed.clone();
        } else {
            seasonalFilled++;
        }
        System.arraycopy(step, 0, seasonalHistory, seasonalNext * numValues, numValues);
        seasonalNext = (seasonalNext + 1) % steps;
        return out;
    }
}
