package io.github.deepanomaly.core;

import java.util.Arrays;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/** Schema checks whose messages name the column, what was found and what to do. */
public final class SchemaChecks {
    private SchemaChecks() {
    }

    public static StructField requireColumn(StructType schema, String column) {
        if (!Arrays.asList(schema.fieldNames()).contains(column)) {
            throw new IllegalArgumentException("Column '" + column + "' not found; available columns: "
                    + String.join(", ", schema.fieldNames()));
        }
        return schema.apply(column);
    }

    public static StructField requireVectorColumn(StructType schema, String column) {
        StructField field = requireColumn(schema, column);
        DataType type = field.dataType();
        if (!type.equals(SQLDataTypes.VectorType())) {
            throw new IllegalArgumentException("Column '" + column + "' must be a Vector (e.g. the output of a"
                    + " VectorAssembler), but it is " + type.simpleString());
        }
        return field;
    }

    /** The column of that exact name: dots and backticks in it are taken literally, not as paths. */
    public static Column column(String name) {
        return functions.col("`" + name.replace("`", "``") + "`");
    }

    public static void requireAbsent(StructType schema, String column, String paramName) {
        if (Arrays.asList(schema.fieldNames()).contains(column)) {
            throw new IllegalArgumentException("Output column '" + column + "' already exists; set " + paramName
                    + " to another name");
        }
    }
}
