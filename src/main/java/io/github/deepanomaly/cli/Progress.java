package io.github.deepanomaly.cli;

import io.github.deepanomaly.train.Training;
import io.github.deepanomaly.train.Training.EpochProgress;
import java.io.PrintStream;
import java.util.Locale;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.config.Configurator;
import org.apache.spark.SparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;

/**
 * One line on a terminal that follows training: epoch, loss, time per epoch and time left, rewritten in
 * place as each epoch starts. It reads the epoch from the descriptions the trainer gives its Spark jobs
 * ({@link Training#progressOf}), so it follows any detector inside any Pipeline without
 * reaching into it. Off when the CLI does not run on a terminal ({@link #onTerminal}): logs and pipes get
 * the trainer's per-epoch log lines instead, which the line replaces on a terminal (they would break it).
 */
final class Progress implements AutoCloseable {
    private final SparkContext sc;
    private final PrintStream terminal;
    private final SparkListener listener;
    private final String trainerLogger = Training.LOGGER;
    private final Level trainerLevel;
    private long firstEpochStart = -1;
    private int firstEpoch;
    private int shownLength;

    private Progress(SparkContext sc, PrintStream terminal) {
        this.sc = sc;
        this.terminal = terminal;
        this.listener = new SparkListener() {
            @Override
            public void onJobStart(SparkListenerJobStart jobStart) {
                String description = jobStart.properties() == null ? null
                        : jobStart.properties().getProperty("spark.job.description"); // what setJobDescription sets
                Training.progressOf(description)
                        .ifPresentOrElse(p -> show(p, jobStart.time()), Progress.this::clear);
            }
        };
        sc.addSparkListener(listener);
        trainerLevel = LogManager.getLogger(trainerLogger).getLevel();
        if (terminal != null) {
            Configurator.setLevel(trainerLogger, Level.WARN);
        }
    }

    /** Shows progress on {@code terminal} until closed; does nothing when not {@link #onTerminal}. */
    static Progress start(SparkContext sc, PrintStream terminal) {
        return new Progress(sc, onTerminal() ? terminal : null);
    }

    /** Whether the CLI talks to a person: stdin and stdout are a terminal (Java's System.console()). */
    static boolean onTerminal() {
        return System.console() != null;
    }

    /** The line for {@code progress}, when epoch {@code firstEpoch} started {@code secondsSinceFirst} ago. */
    static String line(EpochProgress progress, int firstEpoch, double secondsSinceFirst) {
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%s epoch %d/%d", progress.name(),
                progress.epoch(), progress.epochs()));
        if (!Double.isNaN(progress.loss())) {
            line.append(String.format(Locale.ROOT, ", loss %.4g", progress.loss()));
        }
        if (!Double.isNaN(progress.validationLoss())) {
            line.append(String.format(Locale.ROOT, ", validation %.4g", progress.validationLoss()));
        }
        int done = progress.epoch() - firstEpoch;
        if (done > 0) {
            double perEpoch = secondsSinceFirst / done;
            int left = progress.epochs() - progress.epoch() + 1;
            line.append(String.format(Locale.ROOT, ", %.1f s/epoch, about %s left", perEpoch,
                    duration(perEpoch * left)));
        }
        return line.toString();
    }

    static String duration(double seconds) {
        long s = Math.round(seconds);
        return s < 60 ? s + " s" : String.format(Locale.ROOT, "%d min %02d s", s / 60, s % 60);
    }

    private synchronized void show(EpochProgress progress, long time) {
        if (terminal == null) {
            return;
        }
        // a new training (the epoch count starts again) measures its own rate
        if (firstEpochStart < 0 || progress.epoch() <= firstEpoch) {
            firstEpochStart = time;
            firstEpoch = progress.epoch();
        }
        String text = line(progress, firstEpoch, (time - firstEpochStart) / 1000.0);
        terminal.print("\r" + text + " ".repeat(Math.max(0, shownLength - text.length())));
        terminal.flush();
        shownLength = text.length();
    }

    /** Clears the line: training is over once a job other than an epoch's starts (scoring, saving). */
    private synchronized void clear() {
        if (terminal != null && shownLength > 0) {
            terminal.print("\r" + " ".repeat(shownLength) + "\r");
            terminal.flush();
        }
        shownLength = 0;
    }

    /** Stops following and clears the line, so that what the command prints next starts on a clean line. */
    @Override
    public synchronized void close() {
        sc.removeSparkListener(listener);
        if (terminal != null) {
            Configurator.setLevel(trainerLogger, trainerLevel);
        }
        clear();
    }
}
