package io.github.deepanomaly.bench;

import io.github.deepanomaly.cli.UsageException;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * MNIST's IDX files (LeCun et al.): big-endian magic number, dimensions, then unsigned bytes. Read here for
 * the benchmark only; users' images come through Spark's image source.
 *
 * @param pixels one array of height x width grey values (0-255, row by row) per image
 * @param labels the digit of each image
 */
record MnistIdx(byte[][] pixels, int[] labels, int height, int width) {
    static final String IMAGES = "t10k-images-idx3-ubyte.gz";
    static final String LABELS = "t10k-labels-idx1-ubyte.gz";
    private static final int IMAGES_MAGIC = 0x00000803;
    private static final int LABELS_MAGIC = 0x00000801;

    /** @param option the command-line option that named {@code dir}, for the error when its files are missing */
    static MnistIdx read(Path dir, String option) throws IOException {
        Path images = dir.resolve(IMAGES);
        Path labels = dir.resolve(LABELS);
        if (!Files.isRegularFile(images) || !Files.isRegularFile(labels)) {
            throw new UsageException(option + " " + dir + " must hold MNIST's " + IMAGES + " and " + LABELS);
        }
        try (DataInputStream in = open(images)) {
            check(in.readInt(), IMAGES_MAGIC, images);
            int count = in.readInt();
            int height = in.readInt();
            int width = in.readInt();
            byte[][] pixels = new byte[count][height * width];
            for (byte[] image : pixels) {
                in.readFully(image);
            }
            int[] digits = readLabels(labels, count);
            return new MnistIdx(pixels, digits, height, width);
        }
    }

    private static int[] readLabels(Path file, int expected) throws IOException {
        try (DataInputStream in = open(file)) {
            check(in.readInt(), LABELS_MAGIC, file);
            int count = in.readInt();
            if (count != expected) {
                throw new UsageException(file + " has " + count + " labels for " + expected + " images");
            }
            int[] labels = new int[count];
            for (int i = 0; i < count; i++) {
                labels[i] = in.readUnsignedByte();
            }
            return labels;
        }
    }

    private static DataInputStream open(Path file) throws IOException {
        InputStream raw = Files.newInputStream(file);
        return new DataInputStream(new java.io.BufferedInputStream(new GZIPInputStream(raw)));
    }

    private static void check(int magic, int expected, Path file) {
        if (magic != expected) {
            throw new UsageException(file + " is not an IDX file of the expected kind (magic " + Integer.toHexString(magic)
                    + ")");
        }
    }

    int size() {
        return labels.length;
    }
}
