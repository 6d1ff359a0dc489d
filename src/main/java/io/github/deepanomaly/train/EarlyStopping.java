package io.github.deepanomaly.train;

/**
 * Keeps the epoch with the lowest validation loss and says when to stop: after {@code patience} epochs
 * in a row without an improvement of at least {@value #MIN_RELATIVE_IMPROVEMENT} of the loss last improved
 * on (a loss that creeps down by float noise is not learning anything the score would show).
 */
final class EarlyStopping {
    static final double MIN_RELATIVE_IMPROVEMENT = 1e-3;

    private final int patience;
    private int bestEpoch;
    private double bestLoss = Double.POSITIVE_INFINITY;
    private NetworkStates best;
    /** The loss the last significant improvement reached, which the next one must beat. */
    private double reference = Double.POSITIVE_INFINITY;
    private int sinceImprovement;

    EarlyStopping(int patience) {
        this.patience = patience;
    }

    /** @return true to go on training */
    boolean observe(int epoch, double validationLoss, NetworkStates states) {
        if (validationLoss < bestLoss || best == null) {
            bestLoss = validationLoss;
            bestEpoch = epoch;
            best = states;
        }
        if (validationLoss < reference * (1 - MIN_RELATIVE_IMPROVEMENT)) {
            reference = validationLoss;
            sinceImprovement = 0;
        } else {
            sinceImprovement++;
        }
        return sinceImprovement < patience;
    }

    int bestEpoch() {
        return bestEpoch;
    }

    double bestLoss() {
        return bestLoss;
    }

    NetworkStates best() {
        return best;
    }
}
