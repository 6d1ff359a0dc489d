package io.github.deepanomaly.core;

import java.util.Optional;

/** What every trained detector model tells about itself, whatever its network. */
public interface ScoringModel {
    /** Number of features the model was trained on; every scored vector must have this size. */
    int numFeatures();

    /** Scores at or above this are predicted anomalies; NaN when the model has no threshold. */
    double getThreshold();

    /** How training went, on the model {@code fit} returned; empty on a loaded model or a copy of one. */
    Optional<TrainingSummary> trainingSummary();
}
