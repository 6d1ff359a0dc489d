package io.github.deepanomaly.series;

import java.io.Serializable;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import org.apache.spark.HashPartitioner;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.StructType;
import scala.Tuple2;

/**
 * Training windows of every series, cut on the executors: each window is a run of consecutive steps of
 * one series, scaled by the series' statistics, of which the network reads every {@code stride}-th of the
 * first (windowSize − 1) · stride + 1 as input and the {@code horizon} steps after them as target,
 * flattened time-major (input steps, then target steps, each step's values together) into one vector, the
 * shape the shared minibatch path caches.
 *
 * <p>The rows are range-partitioned by (series, time) and sorted within partitions, so many series spread
 * over the partitions and one long series is cut into consecutive time ranges, one per partition. The
 * windows that cross from one range into the next need the next range's first steps (a run's length − 1):
 * those few rows of each partition (not the series) go through the driver to every task, the way Spark
 * MLlib's {@code RDDFunctions.sliding} does it. The windows are then shuffled into {@code partitions}
 * partitions in an order fixed by the seed: a minibatch of neighbouring windows would be nearly one
 * example repeated. A window's partition and position come from a hash of (seed, series, start time)
 * only, so the training input (and the trained network) does not depend on how the input rows were
 * partitioned.
 */
public final class SeriesWindows {
    /** The column of the window vectors. */
    public static final String WINDOW = "window";

    private SeriesWindows() {
    }

    /** One usable step of a series, scaled. */
    record Step(String series, double time, float[] values) implements Serializable {
    }

    record Window(long order, float[] values) implements Serializable {
    }

    public static Dataset<Row> of(SeriesTable table, int windowSize, int stride, int horizon, int partitions,
            long seed) {
        int length = (windowSize - 1) * stride + 1 + horizon;
        Map<String, SeriesStats> stats = table.stats();
        JavaRDD<Step> steps = table.rows()
                .where(functions.col(SeriesColumns.SERIES).isin(stats.keySet().toArray()))
                .repartitionByRange(partitions, functions.col(SeriesColumns.SERIES), functions.col(SeriesColumns.TIME))
                .sortWithinPartitions(SeriesColumns.SERIES, SeriesColumns.TIME)
                .javaRDD()
                .map(r -> {
                    String series = r.getString(0);
                    List<Double> values = r.getList(2);
                    double[] v = values.stream().mapToDouble(Double::doubleValue).toArray();
                    return new Step(series, r.getDouble(1), stats.get(series).scaled(v));
                });
        int need = length - 1;
        List<List<Step>> heads = steps.mapPartitions(it -> {
            List<Step> head = new ArrayList<>(need);
            while (head.size() < need && it.hasNext()) {
                head.add(it.next());
            }
            return Collections.singletonList(head).iterator();
        }).collect();
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(table.rows().sparkSession().sparkContext());
        Broadcast<List<List<Step>>> shippedHeads = sc.broadcast(heads);
        JavaRDD<Window> windows = steps.mapPartitionsWithIndex((index, it) -> {
            List<Step> following = new ArrayList<>(need);
            List<List<Step>> all = shippedHeads.value();
            for (int p = index + 1; p < all.size() && following.size() < need; p++) {
                for (Step s : all.get(p)) {
                    if (following.size() < need) {
                        following.add(s);
                    }
                }
            }
            return new Sliding(it, following.iterator(), windowSize, stride, horizon, seed);
        }, true);
        // a window's worker and its place in that worker's minibatches follow from its key alone (not from
        // a sampled range partitioner, whose bounds depend on the input's layout): same rows and seed,
        // same minibatches on every worker, however the input was partitioned
        JavaRDD<Row> rows = windows.mapToPair(w -> new Tuple2<>(w.order(), w.values()))
                .repartitionAndSortWithinPartitions(new HashPartitioner(partitions))
                .values()
                .map(w -> {
                    double[] v = new double[w.length];
                    for (int i = 0; i < v.length; i++) {
                        v[i] = w[i];
                    }
                    return RowFactory.create(Vectors.dense(v));
                });
        return table.rows().sparkSession().createDataFrame(rows,
                new StructType().add(WINDOW, SQLDataTypes.VectorType(), false));
    }

    /** Every run of {@code length} consecutive steps of one series, over a partition and what follows it. */
    private static final class Sliding implements Iterator<Window> {
        private final Iterator<Step> own;
        private final Iterator<Step> following;
        private final int windowSize;
        private final int stride;
        private final int horizon;
        private final int length;
        private final long seed;
        private final ArrayDeque<Step> buffer;
        private boolean ownDone;
        private Window ready;

        Sliding(Iterator<Step> own, Iterator<Step> following, int windowSize, int stride, int horizon, long seed) {
            this.own = own;
            this.following = following;
            this.windowSize = windowSize;
            this.stride = stride;
            this.horizon = horizon;
            this.length = (windowSize - 1) * stride + 1 + horizon;
            this.seed = seed;
            this.buffer = new ArrayDeque<>(length);
        }

        @Override
        public boolean hasNext() {
            while (ready == null) {
                Step next;
                if (own.hasNext()) {
                    next = own.next();
                } else if (!buffer.isEmpty() && following.hasNext()) {
                    // only windows that start in this partition may borrow from the next ones
                    ownDone = true;
                    next = following.next();
                } else {
                    return false;
                }
                if (!buffer.isEmpty() && !buffer.peekLast().series().equals(next.series())) {
                    buffer.clear();
                    if (ownDone) {
                        return false;
                    }
                }
                buffer.addLast(next);
                if (buffer.size() > length) {
                    buffer.removeFirst();
                }
                if (buffer.size() == length) {
                    ready = window();
                }
            }
            return true;
        }

        private Window window() {
            Step[] run = buffer.toArray(new Step[0]);
            int d = run[0].values().length;
            float[] values = new float[(windowSize + horizon) * d];
            for (int t = 0; t < windowSize; t++) {
                System.arraycopy(run[t * stride].values(), 0, values, t * d, d);
            }
            int span = (windowSize - 1) * stride + 1;
            for (int k = 0; k < horizon; k++) {
                System.arraycopy(run[span + k].values(), 0, values, (windowSize + k) * d, d);
            }
            return new Window(order(run[0]), values);
        }

        /** A fixed pseudo-random position for the window, from the seed, its series and its start. */
        private long order(Step first) {
            long h = seed * 0x9E3779B97F4A7C15L + first.series().hashCode();
            h = h * 0x9E3779B97F4A7C15L + Double.hashCode(first.time());
            h ^= h >>> 33;
            h *= 0xff51afd7ed558ccdL;
            h ^= h >>> 33;
            return h;
        }

        @Override
        public Window next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            Window out = ready;
            ready = null;
            return out;
        }
    }
}
