package io.github.deepanomaly.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.deepanomaly.SparkTestSession;
import io.github.deepanomaly.core.Standardization;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.junit.jupiter.api.Test;

/** Minibatches cut from a sorted table mix its rows, keep every row once and hold out the exact share. */
class MinibatchesTest {
    static final int ROWS = 1000;

    /** Rows 0 … 999 in order, the row's number as its only feature, in two partitions of consecutive rows. */
    static JavaRDD<Row> sortedRows() {
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < ROWS; i++) {
            rows.add(RowFactory.create(Vectors.dense(i)));
        }
        return JavaSparkContext.fromSparkContext(SparkTestSession.get().sparkContext()).parallelize(rows, 2);
    }

    static List<Minibatch> batches(long seed) {
        return Minibatches.of(sortedRows(), Standardization.identity(1), 50, 0.1, seed).collect();
    }

    @Test
    void aMinibatchOfASortedPartitionSpansThePartition() {
        for (Minibatch b : batches(1)) {
            float[] v = b.values();
            float min = Float.MAX_VALUE;
            float max = -Float.MAX_VALUE;
            for (float x : v) {
                min = Math.min(min, x);
                max = Math.max(max, x);
            }
            // each partition holds 500 consecutive rows; 50 rows cut in order would span 49
            assertTrue(max - min > 300, "a minibatch spans rows " + min + " to " + max);
        }
    }

    @Test
    void everyRowIsDealtOnceAndTheHeldOutShareIsExact() {
        List<Minibatch> all = batches(1);
        float[] seen = new float[ROWS];
        int at = 0;
        int heldOut = 0;
        for (Minibatch b : all) {
            System.arraycopy(b.values(), 0, seen, at, b.rows());
            at += b.rows();
            heldOut += b.heldOut() ? b.rows() : 0;
            assertTrue(b.rows() <= 50);
        }
        assertEquals(ROWS, at);
        assertEquals(100, heldOut, "10 % of each partition's 500 rows");
        Arrays.sort(seen);
        for (int i = 0; i < ROWS; i++) {
            assertEquals(i, seen[i]);
        }
    }

    @Test
    void theSeedFixesTheOrder() {
        List<Minibatch> once = batches(1);
        List<Minibatch> again = batches(1);
        List<Minibatch> other = batches(2);
        assertEquals(once.size(), again.size());
        boolean differs = false;
        for (int i = 0; i < once.size(); i++) {
            assertArrayEquals(once.get(i).values(), again.get(i).values());
            differs |= !Arrays.equals(once.get(i).values(), other.get(i).values());
        }
        assertTrue(differs, "another seed deals the rows otherwise");
        assertFalse(once.isEmpty());
    }
}
