package io.github.deepanomaly.nn;

import io.github.deepanomaly.score.ErrorScales;
import java.util.Arrays;
import java.util.function.IntFunction;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Which rows of a minibatch a trimmed loss keeps: all but the {@code trimFraction} with the largest
 * reconstruction error. The training rows of an anomaly detector contain the anomalies; an autoencoder
 * that learns to reconstruct them scores them low. Leaving the worst-reconstructed rows out of each
 * step keeps it from learning them (measured on the shared tables: shuttle 0.948 → 0.995 AUC-ROC,
 * pendigits 0.783 → 0.904), but also leaves out for good the small modes of the normal rows (http
 * 0.9995 → 0.914): README, "Quality".
 * <p>
 * Weighted, the rows are ranked as the score ranks them: each feature's squared error divided by its typical error,
 * here the minibatch's own median for that feature, so that a row is left out for an error unusual for its feature
 * rather than for an error in a feature every row reconstructs poorly ({@code weightedTrim}, off by default: README,
 * "Quality").
 */
public final class TrimmedLoss {
    /**
     * The least typical error a weighted ranking divides a feature's error by, as a share of the mean of the
     * features' medians in the minibatch: no feature weighs more than about 4 times the uniform weight. 0.3 by
     * measurement (docs/benchmarks.md, "Session 22"; seeds 1–3): the score's own floor (0.02) and 0.1 gained as much on
     * the shared tables but lost more on the unseen ones (0.018 and 0.016 of mean AUC-ROC against 0.008 on all rows),
     * whose many pixel-count features sit at 0 for most rows; a 128-row median is also a rougher estimate than the
     * score's over all the training rows.
     */
    public static final double WEIGHT_FLOOR = 0.3;

    private TrimmedLoss() {
    }

    /**
     * The rows kept: the ⌈n·(1 − trimFraction)⌉ smallest errors (ties at the cut kept by position), at
     * least one.
     */
    public static boolean[] kept(double[] errors, double trimFraction) {
        int n = errors.length;
        boolean[] kept = new boolean[n];
        int keep = Math.max(1, (int) Math.ceil(n * (1 - trimFraction) - 1e-9));
        if (keep >= n) {
            Arrays.fill(kept, true);
            return kept;
        }
        double[] sorted = errors.clone();
        Arrays.sort(sorted);
        double cut = sorted[keep - 1];
        int below = 0;
        for (double e : errors) {
            if (e < cut) {
                below++;
            }
        }
        int tiesLeft = keep - below;
        for (int r = 0; r < n; r++) {
            if (errors[r] < cut) {
                kept[r] = true;
            } else if (errors[r] == cut && tiesLeft > 0) {
                kept[r] = true;
                tiesLeft--;
            }
        }
        return kept;
    }

    /**
     * Each row's squared reconstruction error summed over its {@code width} values: what the trim ranks the
     * plain-Java steps' rows by.
     *
     * @param reconstruct the reconstruction of the row starting at the given offset of {@code values} (an array
     *                    the caller may reuse: read before the next call)
     */
    public static double[] rowErrors(float[] values, int rows, int width, IntFunction<float[]> reconstruct) {
        double[] errors = new double[rows];
        for (int r = 0; r < rows; r++) {
            int from = r * width;
            float[] reconstruction = reconstruct.apply(from);
            double sum = 0;
            for (int j = 0; j < width; j++) {
                double error = reconstruction[j] - values[from + j];
                sum += error * error;
            }
            errors[r] = sum;
        }
        return errors;
    }

    /**
     * Each row's squared reconstruction errors weighted feature by feature as the score weighs them ({@code
     * errorScaling} 'balanced'): 1 / the feature's median over these rows (at least {@link #WEIGHT_FLOOR} of the
     * mean median) + 1 / the mean median; what a weighted trim ranks the plain-Java steps' rows by.
     *
     * @param reconstruct as for {@link #rowErrors}
     */
    public static double[] weightedRowErrors(float[] values, int rows, int width, IntFunction<float[]> reconstruct) {
        double[][] squared = new double[width][rows];
        for (int r = 0; r < rows; r++) {
            int from = r * width;
            float[] reconstruction = reconstruct.apply(from);
            for (int j = 0; j < width; j++) {
                double error = reconstruction[j] - values[from + j];
                squared[j][r] = error * error;
            }
        }
        return weighted(squared, rows);
    }

    /** The sums over each row's features of {@code squared} (feature by row), weighted as the score weighs them. */
    private static double[] weighted(double[][] squared, int rows) {
        int width = squared.length;
        double[] medians = new double[width];
        for (int j = 0; j < width; j++) {
            double[] sorted = squared[j].clone();
            Arrays.sort(sorted);
            medians[j] = rows % 2 == 1 ? sorted[rows / 2] : (sorted[rows / 2 - 1] + sorted[rows / 2]) / 2;
        }
        double[] weights = ErrorScales.weightsOf(medians, WEIGHT_FLOOR, true);
        double[] errors = new double[rows];
        for (int j = 0; j < width; j++) {
            for (int r = 0; r < rows; r++) {
                errors[r] += squared[j][r] * weights[j];
            }
        }
        return errors;
    }

    /**
     * DL4J's per-row label mask ([rows, 1], 1 = kept) of a reconstruction's rows, ranked by their squared errors,
     * {@code weighted} as {@link #weightedRowErrors} weighs them or summed as they are.
     */
    public static INDArray mask(INDArray input, INDArray reconstruction, double trimFraction, boolean weighted) {
        INDArray difference = reconstruction.sub(input);
        INDArray squared = difference.muli(difference);
        double[] errors;
        if (weighted) {
            int rows = (int) squared.size(0);
            errors = weighted(squared.transpose().toDoubleMatrix(), rows);
        } else {
            errors = squared.sum(1).toDoubleVector();
        }
        boolean[] kept = kept(errors, trimFraction);
        float[] mask = new float[kept.length];
        for (int r = 0; r < kept.length; r++) {
            mask[r] = kept[r] ? 1 : 0;
        }
        return Nd4j.createFromArray(mask).reshape(kept.length, 1);
    }
}
