package io.github.deepanomaly;

import static io.github.deepanomaly.SyntheticData.scores;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.deepanomaly.core.AnomalyDetector;
import io.github.deepanomaly.core.AnomalyDetectorModel;
import io.github.deepanomaly.core.RootCause;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/**
 * What every detector of tables answers alike (seeds, unusable rows), run by each detector's test class
 * on its own quick detector, so that a new tabular detector gets these checks by implementing two methods.
 */
interface TabularDetectorContract<M extends AnomalyDetectorModel<M>, D extends AnomalyDetector<M, D>> {
    /** A detector quick to fit on {@link #planted()}: a few epochs, a small network. */
    D quickDetectorForContract();

    /** {@link SyntheticData#planted} with 6 features, cached. */
    Dataset<Row> planted();

    @Test
    default void sameSeedSameScoresOtherSeedOtherScores() {
        Dataset<Row> small = planted().limit(800).repartition(2).cache();
        double[] first = scores(quickDetectorForContract().setMaxIter(2).setSeed(11).fit(small).transform(small));
        double[] again = scores(quickDetectorForContract().setMaxIter(2).setSeed(11).fit(small).transform(small));
        double[] other = scores(quickDetectorForContract().setMaxIter(2).setSeed(12).fit(small).transform(small));
        assertArrayEquals(first, again);
        assertFalse(java.util.Arrays.equals(first, other));
        small.unpersist();
    }

    @Test
    default void handleInvalidErrorCountsEveryProblemAndScoringFailsOnTheFirst() {
        Dataset<Row> data = SyntheticData.withUnusableRows(SparkSession.active());
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> quickDetectorForContract().setMaxIter(1).fit(data));
        assertEquals("Column 'features' has 3 unusable rows (1 NaN or infinite value, 1 null, 1 size 3 instead"
                + " of 4); fix the data or set handleInvalid to 'skip' (drop them) or 'keep' (score them null)",
                error.getMessage());

        M strict = quickDetectorForContract().setMaxIter(1).setHandleInvalid("skip").fit(data).setHandleInvalid("error");
        // like Spark ML's own stages, the error comes when the score is computed: count() alone would not need it
        Exception atScoring = assertThrows(Exception.class,
                () -> strict.transform(data).select("anomalyScore").collectAsList());
        assertTrue(rootMessage(atScoring).contains("Column 'features' has an unusable row"), rootMessage(atScoring));
    }

    @Test
    default void handleInvalidSkipDropsAndKeepKeepsWithNullScore() {
        Dataset<Row> data = SyntheticData.withUnusableRows(SparkSession.active());
        M skipping = quickDetectorForContract().setMaxIter(1).setHandleInvalid("skip").fit(data);
        assertEquals(400, skipping.transform(data).count());

        Dataset<Row> kept = skipping.setHandleInvalid("keep").transform(data).cache();
        assertEquals(403, kept.count());
        List<Row> unusable = kept.where("id >= 400").select("anomalyScore", "prediction").collectAsList();
        assertEquals(3, unusable.size());
        for (Row row : unusable) {
            assertTrue(row.isNullAt(0) && row.isNullAt(1), row.toString());
        }
        assertEquals(0, kept.where("id < 400 AND anomalyScore IS NULL").count());
        kept.unpersist();
    }

    static String rootMessage(Throwable t) {
        return String.valueOf(RootCause.of(t).getMessage());
    }
}
