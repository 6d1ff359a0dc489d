package io.github.deepanomaly.cli;

import io.github.deepanomaly.image.ImagePixels;
import io.github.deepanomaly.image.ImageShape;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Row;

/**
 * PNG files that show where an image's reconstruction error lies: the image on the left, its heatmap on the
 * right (the error of each pixel, summed over its channels, from black through red and yellow to white at
 * the image's largest error), both enlarged so that small images such as 28x28 digits are visible.
 */
final class HeatmapImages {
    /** The shorter side of a picture is enlarged (by a whole factor) to at least this many pixels. */
    static final int MIN_SIDE = 112;
    /** Pixels between the image and its heatmap. */
    static final int GAP = 4;

    private HeatmapImages() {
    }

    /** One scored image: its image struct, score and heatmap, highest score first. */
    record Scored(Row image, double score, Vector heatmap) {
    }

    /** Writes one PNG per image into {@code directory}; returns the file names, in rank order. */
    static List<String> write(List<Scored> ranked, ImageShape shape, String directory, Configuration conf)
            throws IOException {
        Path dir = new Path(directory);
        FileSystem fs = dir.getFileSystem(conf);
        if (fs instanceof LocalFileSystem local) {
            fs = local.getRawFileSystem(); // no .crc file beside every picture
        }
        fs.mkdirs(dir);
        List<String> names = new ArrayList<>();
        for (int i = 0; i < ranked.size(); i++) {
            Scored s = ranked.get(i);
            String name = String.format(Locale.ROOT, "%02d-score-%.4g-%s.png", i + 1, s.score(),
                    baseName(ImagePixels.originOf(s.image())));
            try (OutputStream out = fs.create(new Path(dir, name), false)) {
                ImageIO.write(picture(s, shape), "png", out);
            }
            names.add(name);
        }
        return names;
    }

    static BufferedImage picture(Scored s, ImageShape shape) {
        int h = shape.height();
        int w = shape.width();
        int scale = Math.max(1, (MIN_SIDE + Math.min(h, w) - 1) / Math.min(h, w));
        BufferedImage out = new BufferedImage((2 * w) * scale + GAP, h * scale, BufferedImage.TYPE_INT_RGB);
        double[] pixels = new ImagePixels(shape).toVector(s.image()).toArray();
        double[] error = s.heatmap().toArray();
        int plane = h * w;
        double[] perPixel = new double[plane];
        double max = 0;
        for (int p = 0; p < plane; p++) {
            for (int c = 0; c < shape.channels(); c++) {
                perPixel[p] += error[c * plane + p];
            }
            max = Math.max(max, perPixel[p]);
        }
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int p = y * w + x;
                int original = shape.channels() >= 3
                        ? rgb(pixels[p], pixels[plane + p], pixels[2 * plane + p])
                        : rgb(pixels[p], pixels[p], pixels[p]);
                fill(out, x * scale, y * scale, scale, original);
                fill(out, (w + x) * scale + GAP, y * scale, scale, hot(max > 0 ? perPixel[p] / max : 0));
            }
        }
        return out;
    }

    /** Black, red, yellow, white as t goes from 0 to 1. */
    static int hot(double t) {
        return rgb(3 * t, 3 * t - 1, 3 * t - 2);
    }

    private static int rgb(double r, double g, double b) {
        return (channel(r) << 16) | (channel(g) << 8) | channel(b);
    }

    private static int channel(double v) {
        return (int) Math.round(Math.max(0, Math.min(1, v)) * 255);
    }

    private static void fill(BufferedImage image, int x0, int y0, int size, int rgb) {
        for (int y = y0; y < y0 + size; y++) {
            for (int x = x0; x < x0 + size; x++) {
                image.setRGB(x, y, rgb);
            }
        }
    }

    /** The file name of an origin without its extension, in characters safe for any file system. */
    static String baseName(String origin) {
        String name = origin.substring(origin.lastIndexOf('/') + 1).replaceFirst("\\.[^.]*$", "");
        return name.replaceAll("[^A-Za-z0-9._-]", "_");
    }
}
