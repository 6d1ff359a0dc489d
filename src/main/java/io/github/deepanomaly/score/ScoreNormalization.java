package io.github.deepanomaly.score;

import io.github.deepanomaly.core.DetectorParamSet;
import org.apache.commons.math3.special.Erf;

/**
 * Maps a raw score to [0, 1] against the training scores, so that scores of different models (or of
 * one model retrained) can be read on one scale. Both are non-decreasing in the raw score.
 */
public enum ScoreNormalization {
    /**
     * The empirical CDF of the training scores: the share of training rows scoring at or below, read from
     * the model's quantile sketch. Makes no assumption about the scores' distribution; 0.95 means "higher
     * than 95% of the training rows". Saturates at 1 above the highest training score.
     */
    RANK(DetectorParamSet.NORMALIZATION_RANK) {
        @Override
        public double apply(ScoreDistribution training, double score) {
            return training.cdf(score);
        }
    },
    /**
     * Gaussian scaling of Kriegel et al., "Interpreting and Unifying Outlier Scores" (SDM 2011), as PyOD's
     * {@code predict_proba(method='unify')}: max(0, erf((s − μ) / (σ·√2))) with μ, σ the training scores'
     * mean and standard deviation. Scores at or below the mean map to 0; keeps separating scores far above
     * the training range, where rank saturates.
     */
    UNIFY(DetectorParamSet.NORMALIZATION_UNIFY) {
        @Override
        public double apply(ScoreDistribution training, double score) {
            double sd = training.std();
            if (!(sd > 0)) {
                // every training score was the same: anything above it is as anomalous as it gets
                return score > training.mean() ? 1.0 : 0.0;
            }
            return Math.max(0.0, Erf.erf((score - training.mean()) / (sd * Math.sqrt(2.0))));
        }
    };

    private final String paramValue;

    ScoreNormalization(String paramValue) {
        this.paramValue = paramValue;
    }

    /** The normalized score, in [0, 1]. */
    public abstract double apply(ScoreDistribution training, double score);

    public static ScoreNormalization byName(String name) {
        for (ScoreNormalization n : values()) {
            if (n.paramValue.equals(name)) {
                return n;
            }
        }
        throw new IllegalArgumentException("Unknown normalization '" + name + "'; use "
                + DetectorParamSet.NORMALIZATION_RANK + " or " + DetectorParamSet.NORMALIZATION_UNIFY);
    }
}
