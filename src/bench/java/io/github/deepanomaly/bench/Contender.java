package io.github.deepanomaly.bench;

import com.linkedin.relevance.isolationforest.IsolationForest;
import io.github.deepanomaly.cli.Detectors;
import io.github.deepanomaly.cli.ParamSettings;
import io.github.deepanomaly.core.DetectorParams;
import io.github.deepanomaly.core.TrainingParams;
import java.util.List;
import java.util.function.LongFunction;
import org.apache.spark.ml.Estimator;
import org.apache.spark.ml.Model;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * A detector under benchmark, with default params: one of the CLI's detectors, or the reference
 * Isolation Forest (LinkedIn's isolation-forest; its figures on the ADBench sets are in
 * shared/data/README.md). Public for the tests that check a figure against the same reference
 * (DemoReferenceTest).
 *
 * @param estimator a new estimator for a training set of the given number of rows
 * @param scoreCol  the column its models write the anomaly score to (higher = more anomalous)
 */
public record Contender(String name, LongFunction<Estimator<?>> estimator, String scoreCol) {
    static final String IFOREST = "iforest";
    /** The vector column every benchmark table carries its features in. */
    public static final String FEATURES = "features";

    static Contender ours(String name) {
        return ours(name, List.of());
    }

    /** One of ours with {@code settings} ("param=value", as the CLI's --set) over its defaults. */
    static Contender ours(String name, List<String> settings) {
        LongFunction<Estimator<?>> factory = rows -> {
            Estimator<?> detector = Detectors.create(name);
            ParamSettings.apply(detector, settings);
            Detectors.params(detector).setFeaturesCol(FEATURES);
            return detector;
        };
        DetectorParams<?> params = Detectors.params(factory.apply(0));
        return new Contender(name, factory, params.getScoreCol());
    }

    /**
     * 100 trees of 256 samples each (the paper's and the library's defaults), contamination left at its
     * default; on fewer than 256 rows every tree takes them all (the library refuses more samples than
     * rows, where scikit-learn takes min(256, rows)).
     */
    public static Contender isolationForest() {
        LongFunction<Estimator<?>> factory = rows -> {
            IsolationForest forest = new IsolationForest();
            forest.setNumEstimators(100);
            forest.setMaxSamples(Math.min(256, rows));
            forest.setFeaturesCol(FEATURES);
            forest.setScoreCol("outlierScore");
            return forest;
        };
        return new Contender(IFOREST, factory, "outlierScore");
    }

    /** @param rows the number of rows of {@code data} */
    Model<?> fit(Dataset<Row> data, long rows) {
        return (Model<?>) estimator.apply(rows).fit(data);
    }

    /** Fits with the detector's random seed set to {@code seed} (ours: {@code seed}; the forest: {@code randomSeed}). */
    public Model<?> fit(Dataset<Row> data, long rows, long seed) {
        Estimator<?> detector = estimator.apply(rows);
        if (detector instanceof TrainingParams<?> ours) {
            ours.setSeed(seed);
        } else if (detector instanceof IsolationForest forest) {
            forest.setRandomSeed(seed);
        }
        return (Model<?>) detector.fit(data);
    }
}
