package io.github.deepanomaly.series;

import io.github.deepanomaly.core.DetectorParamSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import scala.Tuple2;

/**
 * The usable rows of a series table for training, after handleInvalid, with the checks a fit makes
 * once: duplicate timestamps, series too short for one window, and each series' value statistics
 * (aggregates on the executors, the statistics exact so that they do not depend on the input's
 * partitioning; only one row per series reaches the driver).
 *
 * @param rows  the usable rows: {@link SeriesColumns#SERIES}, {@link SeriesColumns#TIME}, {@link SeriesColumns#VALUES}
 * @param stats value statistics of each series long enough to train on
 */
public record SeriesTable(Dataset<Row> rows, Map<String, SeriesStats> stats) {

    public static SeriesTable of(Dataset<?> dataset, SeriesColumns columns, String handleInvalid, int minLength,
            String minLengthFormula) {
        Dataset<Row> keyed = columns.keyed(dataset).select(SeriesColumns.SERIES, SeriesColumns.TIME,
                SeriesColumns.VALUES);
        Column unusable = columns.unusable();
        if (DetectorParamSet.HANDLE_ERROR.equals(handleInvalid)) {
            long bad = keyed.where(unusable).count();
            if (bad > 0) {
                throw new IllegalArgumentException(bad + " row" + (bad == 1 ? " has" : "s have") + " no time or a null,"
                        + " NaN or infinite value in " + String.join(", ", columns.valueCols()) + "; fix the data or"
                        + " set handleInvalid to 'skip' (drop them) or 'keep' (score them null; neither trains on them)");
            }
        }
        Dataset<Row> usable = keyed.where(functions.not(unusable));
        List<Row> perSeries = usable.groupBy(SeriesColumns.SERIES)
                .agg(functions.count(functions.lit(1)).as("n"), functions.countDistinct(functions.col(SeriesColumns.TIME)))
                .collectAsList();
        if (perSeries.isEmpty()) {
            throw new IllegalArgumentException("The input has no usable rows (with a time and finite values in "
                    + String.join(", ", columns.valueCols()) + ")");
        }
        Set<String> longEnough = new HashSet<>();
        String shortest = null;
        long shortestLength = Long.MAX_VALUE;
        for (Row r : perSeries) {
            String series = r.getString(0);
            long n = r.getLong(1);
            long distinct = r.getLong(2);
            if (distinct < n) {
                throw new IllegalArgumentException(String.format(Locale.ROOT, "%s has %d rows at a time another row"
                        + " of it already has (column '%s'); aggregate them first (e.g. groupBy the time and average)",
                        describe(series), n - distinct, columns.timeCol()));
            }
            if (n < minLength) {
                if (n < shortestLength) {
                    shortest = series;
                    shortestLength = n;
                }
                continue;
            }
            longEnough.add(series);
        }
        Map<String, SeriesStats> stats = new HashMap<>();
        if (!longEnough.isEmpty()) {
            for (Map.Entry<String, ExactMoments> e : moments(usable).entrySet()) {
                if (longEnough.contains(e.getKey())) {
                    stats.put(e.getKey(), SeriesStats.ofValues(e.getValue().mean(), e.getValue().std()));
                }
            }
        }
        if (stats.isEmpty()) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "No series is long enough to train on: %s"
                    + " has %d usable rows, fewer than one window (%s = %d); lower windowSize or windowStride, or give"
                    + " longer series", describe(shortest), shortestLength, minLengthFormula, minLength));
        }
        return new SeriesTable(usable, stats);
    }

    /** Each series' exact value moments (one small record per series reaches the driver). */
    private static Map<String, ExactMoments> moments(Dataset<Row> usable) {
        return usable.select(SeriesColumns.SERIES, SeriesColumns.VALUES).javaRDD()
                .mapToPair(r -> new Tuple2<>(r.getString(0), ExactMoments.of(r.<Double>getList(1))))
                .reduceByKey(ExactMoments::merge)
                .collectAsMap();
    }

    static String describe(String series) {
        return series.isEmpty() ? "The series" : "Series '" + series + "'";
    }
}
