package io.github.deepanomaly.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.spark.ml.image.ImageSchema;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.junit.jupiter.api.Test;

/** Spark's image rows (B, G, R bytes per pixel, row by row) to network rows (R, G, B planes in [0, 1]) and back. */
class ImagePixelsTest {

    private static Row image(int height, int width, int channels, byte[] data) {
        return new org.apache.spark.sql.catalyst.expressions.GenericRowWithSchema(new Object[] {"file:/x.png", height,
                width, channels, 16, data}, ImageSchema.columnSchema());
    }

    @Test
    void colourPixelsBecomeRgbPlanesScaledToOne() {
        // two pixels side by side: pure red, then (B=0, G=51, R=255) — Spark stores B, G, R
        byte[] bgr = {0, 0, (byte) 255, 0, 51, (byte) 255};
        ImagePixels pixels = new ImagePixels(new ImageShape(1, 2, 3));
        Row row = image(1, 2, 3, bgr);
        assertNull(pixels.problem(row));
        double[] values = pixels.toVector(row).toArray();
        assertArrayEquals(new double[] {1, 1, 0, 0.2, 0, 0}, values, 1e-12);
        assertArrayEquals(bgr, pixels.toSparkBytes(values));
    }

    @Test
    void greyPixelsKeepTheirOrder() {
        byte[] grey = {0, (byte) 128, (byte) 255, 10};
        ImagePixels pixels = new ImagePixels(new ImageShape(2, 2, 1));
        double[] values = pixels.toVector(image(2, 2, 1, grey)).toArray();
        assertEquals(128 / 255.0, values[1], 1e-12);
        assertArrayEquals(grey, pixels.toSparkBytes(values));
    }

    @Test
    void problemsNameWhatIsWrong() {
        ImagePixels grey = new ImagePixels(new ImageShape(2, 2, 1));
        assertEquals("no image (null)", grey.problem(null));
        assertEquals("not a decodable image", grey.problem(image(-1, -1, -1, new byte[0])));
        assertEquals("2x2 colour instead of 2x2 grey", grey.problem(image(2, 2, 3, new byte[12])));
        assertEquals("3x2 grey instead of 2x2 grey", grey.problem(image(3, 2, 1, new byte[6])));
        assertTrue(ImagePixels.isImageStruct(ImageSchema.columnSchema()));
    }
}
