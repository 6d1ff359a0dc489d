package io.github.deepanomaly.image;

import io.github.deepanomaly.core.DetectorParamSet;
import io.github.deepanomaly.core.SchemaChecks;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.spark.ml.attribute.AttributeGroup;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;

/**
 * The input column of an image detector, in any of the forms it takes: Spark's image struct, a Vector or a
 * numeric array of pixel values in [0, 1] (channel first, as {@link ImageShape}), turned into the Vector
 * the shared training and scoring path works on.
 */
public final class ImageColumn {
    private ImageColumn() {
    }

    /** How the column holds its images. */
    public enum Kind { IMAGE, VECTOR, ARRAY }

    public static Kind kindOf(StructField field) {
        DataType type = field.dataType();
        if (ImagePixels.isImageStruct(type)) {
            return Kind.IMAGE;
        }
        if (type.equals(SQLDataTypes.VectorType())) {
            return Kind.VECTOR;
        }
        if (type instanceof ArrayType array && array.elementType() instanceof NumericType) {
            return Kind.ARRAY;
        }
        throw new IllegalArgumentException("Column '" + field.name() + "' must hold images: the struct Spark's image"
                + " source reads (spark.read.format(\"image\")), or a Vector or numeric array of pixel values; it is "
                + type.simpleString());
    }

    /**
     * The image size: the params where they are set (non-zero); what they leave open comes from the first
     * decodable image of an image column, or, for vectors and arrays, the channels from the first row's
     * length (height and width must be set: a vector does not say how its values form rows).
     */
    public static ImageShape resolve(Dataset<?> data, String column, int height, int width, int channels) {
        StructField field = SchemaChecks.requireColumn(data.schema(), column);
        Kind kind = kindOf(field);
        if (height > 0 && width > 0 && channels > 0) {
            return new ImageShape(height, width, channels);
        }
        Column col = SchemaChecks.column(column);
        if (kind == Kind.IMAGE) {
            List<Row> first = data.select(col).where(col.getField("height").gt(0)).takeAsList(1);
            if (first.isEmpty()) {
                throw new IllegalArgumentException("Column '" + column + "' has no decodable image to take the image"
                        + " size from; give a folder or table with images in it");
            }
            ImageShape found = ImagePixels.shapeOf(first.get(0).getStruct(0));
            if (found == null) {
                throw new IllegalArgumentException("Column '" + column + "': the first image ("
                        + ImagePixels.originOf(first.get(0).getStruct(0)) + ") has no pixel data");
            }
            return new ImageShape(height > 0 ? height : found.height(), width > 0 ? width : found.width(),
                    channels > 0 ? channels : found.channels());
        }
        if (height < 1 || width < 1) {
            throw new IllegalArgumentException("Column '" + column + "' holds pixel values, not images: set imageHeight"
                    + " and imageWidth (and imageChannels unless it is height x width x channels divided evenly)");
        }
        Column vector = kind == Kind.ARRAY ? arrayToVector(col) : col;
        List<Row> first = data.select(vector).where(vector.isNotNull()).takeAsList(1);
        if (first.isEmpty()) {
            throw new IllegalArgumentException("Column '" + column + "' has no non-null row to train on");
        }
        int size = ((Vector) first.get(0).get(0)).size();
        if (size % (height * width) != 0) {
            throw new IllegalArgumentException("Column '" + column + "' has rows of " + size + " values, not a multiple"
                    + " of imageHeight x imageWidth = " + height * width + "; check imageHeight and imageWidth");
        }
        return new ImageShape(height, width, size / (height * width));
    }

    /**
     * For training: {@code column} replaced by its network rows as a Vector column whose ML attributes give
     * the size; images that do not fit {@code shape} become null (the shared path then drops them). With
     * handleInvalid 'error' an image column is checked first, failing with a count of each kind of problem
     * and an example file of each.
     */
    public static Dataset<Row> forTraining(Dataset<?> data, String column, ImageShape shape, String handleInvalid) {
        Kind kind = kindOf(SchemaChecks.requireColumn(data.schema(), column));
        ImagePixels pixels = new ImagePixels(shape);
        if (kind == Kind.IMAGE && DetectorParamSet.HANDLE_ERROR.equals(handleInvalid)) {
            failOnUnusableImages(data, column, pixels);
        }
        return data.toDF().withColumn(column, vectors(column, kind, pixels, DetectorParamSet.HANDLE_SKIP),
                new AttributeGroup(column, shape.size()).toMetadata());
    }

    /**
     * The network rows of {@code column} as a Vector column expression, for scoring. An image that does not fit
     * {@code shape} is null under handleInvalid 'skip' or 'keep' (the scorer drops or keeps the row) and fails
     * the query under 'error', naming the file, what is wrong and the way out.
     */
    public static Column vectors(String column, Kind kind, ImagePixels pixels, String handleInvalid) {
        Column col = SchemaChecks.column(column);
        if (kind == Kind.VECTOR) {
            return col;
        }
        if (kind == Kind.ARRAY) {
            return arrayToVector(col);
        }
        boolean fail = DetectorParamSet.HANDLE_ERROR.equals(handleInvalid);
        UDF1<Row, Vector> convert = image -> {
            String problem = pixels.problem(image);
            if (problem == null) {
                return pixels.toVector(image);
            }
            if (fail) {
                throw new IllegalArgumentException("Column '" + column + "' has an image the model cannot score ("
                        + problem + ": " + ImagePixels.originOf(image) + "); give " + pixels.shape().describe()
                        + " images, or set handleInvalid to 'skip' (drop such rows) or 'keep' (score them null)");
            }
            return null;
        };
        // nondeterministic only to keep the optimizer from decoding an image once per expression reading it
        return functions.udf(convert, SQLDataTypes.VectorType()).asNondeterministic().withName("imagePixels")
                .apply(col);
    }

    private static Column arrayToVector(Column array) {
        return org.apache.spark.ml.functions.array_to_vector(array.cast(DataTypes.createArrayType(DataTypes.DoubleType)));
    }

    private static void failOnUnusableImages(Dataset<?> data, String column, ImagePixels pixels) {
        UDF1<Row, String> problemOf = pixels::problem;
        UDF1<Row, String> originOf = ImagePixels::originOf;
        Column col = SchemaChecks.column(column);
        List<Row> problems = data.select(
                        functions.udf(problemOf, DataTypes.StringType).apply(col).as("problem"),
                        functions.udf(originOf, DataTypes.StringType).apply(col).as("origin"))
                .where(functions.col("problem").isNotNull())
                .groupBy("problem").agg(functions.count("*"), functions.min("origin"))
                .collectAsList();
        if (problems.isEmpty()) {
            return;
        }
        long total = problems.stream().mapToLong(r -> r.getLong(1)).sum();
        String detail = problems.stream().map(r -> r.getLong(1) + " " + r.getString(0) + ", e.g. " + r.getString(2))
                .sorted().collect(Collectors.joining("; "));
        throw new IllegalArgumentException("Column '" + column + "' has " + total + " unusable image"
                + (total == 1 ? "" : "s") + " for a model of " + pixels.shape().describe() + " images (" + detail
                + "); remove or convert them, set imageHeight, imageWidth and imageChannels to the size to train on,"
                + " or set handleInvalid to 'skip' (train without them)");
    }
}
