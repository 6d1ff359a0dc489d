package io.github.deepanomaly.train;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.storage.StorageLevel;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/**
 * What both training engines share: their settings, result, epoch listener and the job descriptions
 * that report progress to the Spark UI and the command line.
 */
public final class Training {
    /** The logger both engines report epochs to ("autoencoder epoch 3/20, loss …"). */
    public static final String LOGGER = Training.class.getName();

    /**
     * How the minibatches are persisted: deserialized in memory, since every round reads them and
     * deserializing them every time costs more than the fit on small networks.
     */
    public static final StorageLevel MINIBATCH_STORAGE = StorageLevel.MEMORY_ONLY();

    /** Engine names, as the {@code trainingEngine} param takes them. */
    public static final String AVERAGING = "averaging";
    public static final String DL4J_SPARK = "dl4j-spark";

    private Training() {
    }

    /** For the training's log: the epochs minSteps adds on {@code batches} minibatches per worker, or "". */
    static String moreEpochs(Settings settings, int batches) {
        int epochs = settings.epochsFor(batches);
        return epochs == settings.epochs() ? "" : String.format(Locale.ROOT, "%d epochs, not %d, so that each worker"
                + " makes at least %d minibatch steps (minSteps)", epochs, settings.epochs(), settings.minSteps());
    }

    /**
     * What to fit and how; {@code name} labels the progress lines ("autoencoder epoch 3/20, …").
     *
     * @param averagingFrequency minibatches per worker between averagings; 0 picks it from the table's size
     *                           ({@link AveragingFrequency#auto})
     * @param validationFraction the share of rows the minibatches hold out (0: none)
     * @param patience           with held-out rows, epochs without a better validation loss before training
     *                           stops
     * @param minSteps           the fewest minibatch steps each worker makes: more epochs than {@code epochs} when
     *                           its partition is too small to reach it (0: {@code epochs} always)
     */
    public record Settings(String name, int epochs, int batchSize, int numWorkers, int averagingFrequency,
            long seed, double validationFraction, int patience, int minSteps) {
        /**
         * The epochs to run when the largest partition holds {@code batches} training minibatches: {@code epochs},
         * or as many more as make {@code minSteps} steps on that worker.
         */
        public int epochsFor(int batches) {
            if (minSteps <= 0 || batches <= 0) {
                return epochs;
            }
            return Math.max(epochs, (minSteps + batches - 1) / batches);
        }

        /** The settings to run on a largest partition of {@code batches} training minibatches ({@link #epochsFor}). */
        public Settings forBatches(int batches) {
            return withEpochs(epochsFor(batches));
        }

        /** These settings with {@code epochs} replaced. */
        public Settings withEpochs(int value) {
            return new Settings(name, value, batchSize, numWorkers, averagingFrequency, seed, validationFraction,
                    patience, minSteps);
        }
    }

    /**
     * Where training ended.
     *
     * @param networks           the detector's networks, with the parameters of {@code bestEpoch}
     * @param loss               the mean training loss of the last epoch run, over every worker's minibatches
     * @param validationLoss     the held-out loss of {@code bestEpoch}; NaN without held-out rows
     * @param epochs             epochs run (fewer than asked when early stopping or a listener stopped)
     * @param bestEpoch          the epoch whose parameters the networks hold
     * @param averagingFrequency minibatches per worker between averagings, as used
     * @param cachedBytes        the memory the cached minibatches took, by Spark's storage accounting
     * @param seconds            training time, without the listener's
     */
    public record Result(List<MultiLayerNetwork> networks, double loss, double validationLoss, int epochs,
            int bestEpoch, int averagingFrequency, long cachedBytes, double seconds) {
        public MultiLayerNetwork network() {
            return networks.get(0);
        }
    }

    /**
     * Told after every epoch, on the driver: for progress, early stopping or measuring how the loss
     * evolves without refitting from scratch.
     */
    @FunctionalInterface
    public interface EpochListener {
        /** Listens to nothing and never stops training. */
        EpochListener NONE = (epoch, network, seconds) -> true;

        /**
         * @param epoch   the epoch just finished, 1-based
         * @param network the (first) network being trained, with the parameters averaged at the end of the
         *                epoch: read it (e.g. {@code output}), do not change it
         * @param seconds training time so far, without the time spent in this listener
         * @return true to go on, false to stop after this epoch
         */
        boolean afterEpoch(int epoch, MultiLayerNetwork network, double seconds);
    }

    /**
     * The description of each epoch's Spark jobs: "autoencoder epoch 3/20, loss 0.0123" or, with held-out
     * rows, "autoencoder epoch 3/20, loss 0.0123, validation 0.0130" (the losses of the epoch before; none
     * in epoch 1), shown in the Spark UI and read back by {@link #progressOf} for progress displays.
     */
    private static final Pattern EPOCH_DESCRIPTION = Pattern.compile(
            "(.+) epoch (\\d+)/(\\d+)(?:, loss (\\S+?))?(?:, validation (\\S+))?");

    /** Where training is: {@code epoch} of {@code epochs} has started; losses are NaN when not known yet. */
    public record EpochProgress(String name, int epoch, int epochs, double loss, double validationLoss) {
    }

    static String description(String name, int epoch, int epochs, double loss, double validationLoss) {
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "%s epoch %d/%d", name, epoch, epochs));
        if (!Double.isNaN(loss)) {
            s.append(String.format(Locale.ROOT, ", loss %.6g", loss));
        }
        if (!Double.isNaN(validationLoss)) {
            s.append(String.format(Locale.ROOT, ", validation %.6g", validationLoss));
        }
        return s.toString();
    }

    /** What a job's description says about training progress, if it is one of the engines' epoch jobs. */
    public static Optional<EpochProgress> progressOf(String jobDescription) {
        Matcher m = jobDescription == null ? null : EPOCH_DESCRIPTION.matcher(jobDescription);
        if (m == null || !m.matches()) {
            return Optional.empty();
        }
        return Optional.of(new EpochProgress(m.group(1), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)),
                parse(m.group(4)), parse(m.group(5))));
    }

    private static double parse(String number) {
        return number == null ? Double.NaN : Double.parseDouble(number);
    }
}
