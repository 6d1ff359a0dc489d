package io.github.deepanomaly.core;

import io.github.deepanomaly.train.Training;

/**
 * How a model's training went, as Spark's own models keep a training summary: kept on the model that
 * {@code fit} returns, not saved with it.
 *
 * @param epochs             epochs run
 * @param bestEpoch          the epoch whose parameters the model holds (the best validation loss, or the last)
 * @param loss               mean training loss of the last epoch, over every worker's minibatches
 * @param validationLoss     held-out loss of {@code bestEpoch}; NaN without held-out rows
 * @param averagingFrequency minibatches per worker between two averagings, as used
 * @param cachedBytes        memory the training minibatches took on the executors (Spark's storage figures)
 * @param trainingSeconds    time in the training rounds
 */
public record TrainingSummary(int epochs, int bestEpoch, double loss, double validationLoss, int averagingFrequency,
        long cachedBytes, double trainingSeconds) {

    public static TrainingSummary of(Training.Result result) {
        return new TrainingSummary(result.epochs(), result.bestEpoch(), result.loss(), result.validationLoss(),
                result.averagingFrequency(), result.cachedBytes(), result.seconds());
    }
}
