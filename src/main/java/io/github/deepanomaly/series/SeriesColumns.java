package io.github.deepanomaly.series;

import io.github.deepanomaly.core.SchemaChecks;
import java.io.Serializable;
import java.util.Arrays;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructType;

/**
 * The columns of a long-format series table (time, values, optional series id), checked, and the key
 * columns the detector works with: {@link #SERIES} (the series id as a string, "" for a single series),
 * {@link #TIME} (the time as a double: seconds for timestamps and dates) and {@link #VALUES} (the values
 * as an array of doubles).
 */
public record SeriesColumns(String timeCol, String[] valueCols, String seriesCol) implements Serializable {
    public static final String SERIES = "__series";
    public static final String TIME = "__time";
    public static final String VALUES = "__values";

    /** Checks that the columns exist and have usable types; the messages name the column and the fix. */
    public void check(StructType schema) {
        DataType time = SchemaChecks.requireColumn(schema, timeCol).dataType();
        if (!(time instanceof NumericType || time.equals(DataTypes.TimestampType) || time.equals(DataTypes.DateType)
                || time.equals(DataTypes.TimestampNTZType))) {
            throw new IllegalArgumentException("Time column '" + timeCol + "' must be a timestamp, date or number, but"
                    + " it is " + time.simpleString() + "; convert it (e.g. to_timestamp) or set timeCol");
        }
        if (valueCols.length == 0) {
            throw new IllegalArgumentException("valueCols is empty; name at least one numeric value column");
        }
        for (String v : valueCols) {
            DataType type = SchemaChecks.requireColumn(schema, v).dataType();
            if (!(type instanceof NumericType)) {
                throw new IllegalArgumentException("Value column '" + v + "' must be numeric, but it is "
                        + type.simpleString() + "; cast it to double (non-numbers become null, see handleInvalid)"
                        + " or leave it out of valueCols");
            }
        }
        if (!seriesCol.isEmpty()) {
            SchemaChecks.requireColumn(schema, seriesCol);
        }
        if (Arrays.asList(valueCols).contains(timeCol) || (!seriesCol.isEmpty()
                && (seriesCol.equals(timeCol) || Arrays.asList(valueCols).contains(seriesCol)))) {
            throw new IllegalArgumentException("timeCol, valueCols and seriesCol must name different columns");
        }
    }

    public int numValues() {
        return valueCols.length;
    }

    /** The input with the three key columns appended. */
    public Dataset<Row> keyed(Dataset<?> dataset) {
        check(dataset.schema());
        Column series = seriesCol.isEmpty() ? functions.lit("")
                : functions.coalesce(SchemaChecks.column(seriesCol).cast("string"), functions.lit(""));
        Column time = SchemaChecks.column(timeCol);
        DataType timeType = dataset.schema().apply(timeCol).dataType();
        if (timeType.equals(DataTypes.DateType) || timeType.equals(DataTypes.TimestampNTZType)) {
            time = time.cast("timestamp");
        }
        Column[] values = Arrays.stream(valueCols).map(v -> SchemaChecks.column(v).cast("double"))
                .toArray(Column[]::new);
        return dataset.toDF()
                .withColumn(SERIES, series)
                .withColumn(TIME, time.cast("double"))
                .withColumn(VALUES, functions.array(values));
    }

    /** True for a row the detector cannot use: no time, or a value that is null, NaN or infinite. */
    public Column unusable() {
        Column bad = SchemaChecks.column(TIME).isNull();
        for (int j = 0; j < valueCols.length; j++) {
            Column v = functions.element_at(SchemaChecks.column(VALUES), j + 1);
            bad = bad.or(v.isNull()).or(functions.isnan(v)).or(functions.abs(v).equalTo(Double.POSITIVE_INFINITY));
        }
        return bad;
    }

    /** The order of steps within a series; rows at the same time are ordered by their values (deterministic). */
    public static Column[] stepOrder() {
        return new Column[] {functions.col(SERIES), functions.col(TIME), functions.col(VALUES)};
    }
}
