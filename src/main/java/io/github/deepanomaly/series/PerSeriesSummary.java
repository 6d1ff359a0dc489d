package io.github.deepanomaly.series;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;

/**
 * One summary row per series, from rows whose first column is the series, partitioned by series and in time
 * order within it (as a repartition by series and a sort within partitions leave them): each series' rows
 * come one after another, and only one series is gathered at a time.
 */
abstract class PerSeriesSummary implements MapPartitionsFunction<Row, Row> {
    /** One series' rows as they come, and its summary row once they are all in. */
    interface Gathered {
        void add(Row row);

        Row summary(String series);
    }

    /** A new, empty gathering for the next series. */
    abstract Gathered gather();

    @Override
    public final Iterator<Row> call(Iterator<Row> rows) {
        List<Row> out = new ArrayList<>();
        String series = null;
        Gathered current = null;
        while (rows.hasNext()) {
            Row row = rows.next();
            String s = row.getString(0);
            if (!s.equals(series)) {
                if (current != null) {
                    out.add(current.summary(series));
                }
                series = s;
                current = gather();
            }
            current.add(row);
        }
        if (current != null) {
            out.add(current.summary(series));
        }
        return out.iterator();
    }
}
