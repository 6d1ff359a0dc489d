package io.github.deepanomaly.train;

import java.io.Serializable;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import org.apache.spark.api.java.JavaRDD;

/**
 * How many training and held-out minibatches and rows each worker's partition holds. Counted once, by
 * the job that also fills the minibatch cache, so that no later round needs a count of its own.
 */
record PartitionLayout(int batches, long rows, int heldOutBatches, long heldOutRows) implements Serializable {

    static List<PartitionLayout> of(JavaRDD<Minibatch> minibatches) {
        return minibatches.mapPartitions(PartitionLayout::count).collect();
    }

    /**
     * The layout, refused in one line when nothing is left to train on or when a {@code validationFraction}
     * above 0 held out no row: what either engine needs before its first epoch.
     */
    static List<PartitionLayout> checked(JavaRDD<Minibatch> minibatches, double validationFraction) {
        List<PartitionLayout> layout = of(minibatches);
        long rows = rows(layout);
        long heldOut = heldOutRows(layout);
        if (rows == 0) {
            throw new IllegalArgumentException("No rows left to train on after holding out the validation rows;"
                    + " the table has only " + heldOut + " usable rows: lower validationFraction or give more rows");
        }
        if (validationFraction > 0 && heldOut == 0) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "validationFraction %s holds out no"
                    + " rows of this table (%d usable rows in %d partitions): set validationFraction to 0 (no early"
                    + " stopping) or train on more rows", validationFraction, rows, layout.size()));
        }
        return layout;
    }

    private static Iterator<PartitionLayout> count(Iterator<Minibatch> batches) {
        int n = 0;
        long rows = 0;
        int heldOut = 0;
        long heldOutRows = 0;
        while (batches.hasNext()) {
            Minibatch b = batches.next();
            if (b.heldOut()) {
                heldOut++;
                heldOutRows += b.rows();
            } else {
                n++;
                rows += b.rows();
            }
        }
        return List.of(new PartitionLayout(n, rows, heldOut, heldOutRows)).iterator();
    }

    static long rows(List<PartitionLayout> layouts) {
        return layouts.stream().mapToLong(PartitionLayout::rows).sum();
    }

    static long heldOutRows(List<PartitionLayout> layouts) {
        return layouts.stream().mapToLong(PartitionLayout::heldOutRows).sum();
    }

    static int maxBatches(List<PartitionLayout> layouts) {
        return layouts.stream().mapToInt(PartitionLayout::batches).max().orElse(0);
    }
}
