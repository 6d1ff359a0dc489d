package io.github.deepanomaly.image;

import java.io.Serializable;
import org.apache.spark.ml.image.ImageSchema;
import org.apache.spark.ml.linalg.DenseVector;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.StructType;

/**
 * Network input from the rows of Spark's image data source ({@code spark.read.format("image")}): a struct of
 * origin, height, width, nChannels, mode and data, where data holds 8-bit samples row by row, each pixel's
 * channels in OpenCV's order (B, G, R and A). A network row is the pixels scaled to [0, 1], channel first,
 * channels in R, G, B, A order (grey: the one channel), as {@link ImageShape} describes.
 */
public record ImagePixels(ImageShape shape) implements Serializable {
    private static final double MAX_SAMPLE = 255.0;

    /** Whether a column holds Spark's image struct (its field names and types, whatever else it carries). */
    public static boolean isImageStruct(DataType type) {
        if (!(type instanceof StructType struct)) {
            return false;
        }
        for (var field : ImageSchema.columnSchema().fields()) {
            if (!java.util.Arrays.asList(struct.fieldNames()).contains(field.name())
                    || !struct.apply(field.name()).dataType().equals(field.dataType())) {
                return false;
            }
        }
        return true;
    }

    /** The shape of one image row; null for a row Spark could not decode (height -1, no data). */
    public static ImageShape shapeOf(Row image) {
        if (image == null) {
            return null;
        }
        int height = image.getInt(image.fieldIndex("height"));
        int width = image.getInt(image.fieldIndex("width"));
        int channels = image.getInt(image.fieldIndex("nChannels"));
        byte[] data = (byte[]) image.get(image.fieldIndex("data"));
        if (height < 1 || width < 1 || channels < 1 || data == null
                || data.length != (long) height * width * channels) {
            return null;
        }
        return new ImageShape(height, width, channels);
    }

    /** Null when the image fits this shape; else why not, e.g. "not a decodable image", "32x32 colour". */
    public String problem(Row image) {
        if (image == null) {
            return "no image (null)";
        }
        ImageShape found = shapeOf(image);
        if (found == null) {
            return "not a decodable image";
        }
        if (!found.equals(shape)) {
            return found.describe() + " instead of " + shape.describe();
        }
        return null;
    }

    /** The origin (file path) of an image row, or "(no origin)". */
    public static String originOf(Row image) {
        if (image == null) {
            return "(null image)";
        }
        String origin = image.getString(image.fieldIndex("origin"));
        return origin == null || origin.isEmpty() ? "(no origin)" : origin;
    }

    /** The network row of an image that fits the shape ({@link #problem} is null). */
    public Vector toVector(Row image) {
        byte[] data = (byte[]) image.get(image.fieldIndex("data"));
        int channels = shape.channels();
        int plane = shape.height() * shape.width();
        double[] values = new double[shape.size()];
        for (int p = 0; p < plane; p++) {
            for (int c = 0; c < channels; c++) {
                values[c * plane + p] = (data[p * channels + sparkChannel(c, channels)] & 0xFF) / MAX_SAMPLE;
            }
        }
        return new DenseVector(values);
    }

    /**
     * Per pixel, the 8-bit samples in Spark's order (B, G, R, A) of a network row, e.g. to write an image:
     * the inverse of {@link #toVector}, with values clipped to [0, 1].
     */
    public byte[] toSparkBytes(double[] values) {
        int channels = shape.channels();
        int plane = shape.height() * shape.width();
        byte[] data = new byte[shape.size()];
        for (int p = 0; p < plane; p++) {
            for (int c = 0; c < channels; c++) {
                double v = Math.max(0, Math.min(1, values[c * plane + p]));
                data[p * channels + sparkChannel(c, channels)] = (byte) Math.round(v * MAX_SAMPLE);
            }
        }
        return data;
    }

    /** Where network channel {@code c} (R, G, B, A) sits among a pixel's samples in Spark's B, G, R, A order. */
    private static int sparkChannel(int c, int channels) {
        return channels >= 3 && c < 3 ? 2 - c : c;
    }
}
