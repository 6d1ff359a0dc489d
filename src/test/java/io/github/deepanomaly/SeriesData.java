package io.github.deepanomaly;

import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Periodic series with a little noise (a sine of period 24 steps, one step a minute) and a labelled
 * anomaly: from step {@code anomalyStart}, {@code anomalyLength} steps whose pattern is broken (the sine
 * runs backwards, at the same amplitude), so no single value is out of range.
 */
final class SeriesData {
    static final StructType SCHEMA = new StructType()
            .add("id", DataTypes.StringType, false)
            .add("timestamp", DataTypes.TimestampType, false)
            .add("value", DataTypes.DoubleType, true)
            .add("label", DataTypes.DoubleType, false);
    static final long START_MILLIS = Timestamp.valueOf("2026-01-01 00:00:00").getTime();
    static final int PERIOD = 24;

    private SeriesData() {
    }

    static List<Row> rows(String id, int length, int anomalyStart, int anomalyLength, double level, double amplitude,
            long seed) {
        Random random = new Random(seed);
        List<Row> rows = new ArrayList<>(length);
        for (int t = 0; t < length; t++) {
            boolean anomaly = t >= anomalyStart && t < anomalyStart + anomalyLength;
            double phase = anomaly ? -t : t;
            double value = level + amplitude * (Math.sin(2 * Math.PI * phase / PERIOD) + 0.05 * random.nextGaussian());
            rows.add(RowFactory.create(id, new Timestamp(START_MILLIS + 60_000L * t), value, anomaly ? 1.0 : 0.0));
        }
        return rows;
    }

    static Dataset<Row> of(SparkSession spark, List<Row> rows) {
        return spark.createDataFrame(rows, SCHEMA);
    }
}
