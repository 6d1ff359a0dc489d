package io.github.deepanomaly.score;

import java.io.Serializable;
import org.apache.commons.math3.special.Beta;

/**
 * ExCeeD (Perini, Vercruyssen and Davis, "Quantifying the Confidence of Anomaly Detectors in Their
 * Example-Wise Predictions", ECML PKDD 2020), computed as PyOD's {@code predict_confidence}: how likely
 * the detector would make the same prediction for a row had it been trained on another sample of n rows
 * from the same population.
 *
 * <p>With F the share of training scores at or below the row's score, the row's probability of being
 * an anomaly is the Bayesian estimate p = (1 + n·F) / (2 + n). The detector flags it when it outranks
 * all but the n·contamination highest of n training rows, i.e. when more than t = n − ⌊n·contamination⌋
 * of n draws score below it: P(anomaly prediction) = 1 − BinomialCDF(t; n, p). That is the confidence of
 * a row predicted anomalous; a row predicted normal gets 1 minus it. High far from the threshold, about
 * 0.5 at it.
 *
 * @param n         number of training rows
 * @param t         t = n − ⌊n·contamination⌋, as PyOD's {@code n - int(n * contamination)}
 */
public record ExceedConfidence(long n, long t) implements Serializable {

    public static ExceedConfidence of(long n, double contamination) {
        if (n < 1) {
            throw new IllegalArgumentException("ExCeeD needs at least one training row, got " + n);
        }
        return new ExceedConfidence(n, n - (long) Math.floor(n * contamination));
    }

    /** P(predicted anomaly) for a row with share {@code cdf} of the training scores at or below its score. */
    public double anomalyProbability(double cdf) {
        double p = (1.0 + n * cdf) / (2.0 + n);
        if (t >= n) {
            return 0.0;
        }
        // 1 − P(X ≤ t) for X ~ Binomial(n, p) is the regularized incomplete beta I_p(t + 1, n − t): what
        // commons-math's BinomialDistribution.cumulativeProbability subtracts from 1, taken directly so it
        // needs no int-sized n and loses no digits to 1 − (1 − x).
        return Beta.regularizedBeta(p, t + 1.0, (double) (n - t));
    }

    /** The confidence in the row's prediction, in [0, 1]. */
    public double confidence(double cdf, boolean predictedAnomaly) {
        double anomaly = anomalyProbability(cdf);
        return predictedAnomaly ? anomaly : 1.0 - anomaly;
    }
}
