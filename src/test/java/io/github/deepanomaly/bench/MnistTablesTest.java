package io.github.deepanomaly.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The tables the quality suite's --mnist builds: their rows, labels and features, made the ODDS way. */
class MnistTablesTest {
    private static final int PER_DIGIT = 40;

    /** 28 x 28 images whose every pixel tells the digit: values in [20 k, 20 k + 10] for digit k. */
    private static MnistIdx images(int... digits) {
        Random random = new Random(5);
        byte[][] pixels = new byte[digits.length * PER_DIGIT][28 * 28];
        int[] labels = new int[pixels.length];
        for (int i = 0; i < pixels.length; i++) {
            labels[i] = digits[i % digits.length];
            for (int p = 0; p < pixels[i].length; p++) {
                pixels[i][p] = (byte) (20 * labels[i] + random.nextInt(11));
            }
        }
        return new MnistIdx(pixels, labels, 28, 28);
    }

    @Test
    void pairsHoldOneDigitAndATenthAsManyOfTheOther() {
        List<MnistTables.Table> tables = MnistTables.of(images(0, 1, 2, 3, 4, 5, 6, 7, 8, 9));
        assertEquals(List.of("mnist06", "mnist17", "mnist35", "mnist49", "mnist82", "optdigits"),
                tables.stream().map(MnistTables.Table::name).toList());
        for (int k = 0; k < MnistTables.PAIRS.length; k++) {
            MnistTables.Table t = tables.get(k);
            int normal = MnistTables.PAIRS[k][0];
            int anomaly = MnistTables.PAIRS[k][1];
            assertEquals(PER_DIGIT + 4, t.labels().length, t.name());
            assertEquals(4, Arrays.stream(t.labels()).sum(), t.name() + ": a tenth as many anomalies");
            assertEquals(MnistTables.PIXELS, t.dims(), t.name());
            for (int i = 0; i < t.labels().length; i++) {
                int digit = t.labels()[i] == 1 ? anomaly : normal;
                for (double v : t.features()[i]) {
                    assertTrue(v >= 20 * digit && v <= 20 * digit + 10, t.name() + " row " + i + ": " + v);
                }
            }
            // not sorted by label: the anomalies are spread through the rows
            int first = Arrays.stream(t.labels()).boxed().toList().indexOf(1);
            assertTrue(first < t.labels().length - 4, t.name() + ": anomalies all at the end");
        }
    }

    @Test
    void optdigitsSumsBlocksToSixtyFourFeaturesFromZeroToSixteen() {
        MnistTables.Table t = MnistTables.of(images(0, 1, 2, 3, 4, 5, 6, 7, 8, 9)).get(5);
        assertEquals(64, t.dims());
        assertEquals(10 * PER_DIGIT, t.labels().length, "every image: fewer than 5,000 normal and 150 zeros here");
        assertEquals(PER_DIGIT, Arrays.stream(t.labels()).sum(), "the zeros are the anomalies");
        double max = 0;
        for (int i = 0; i < t.labels().length; i++) {
            double[] row = t.features()[i];
            for (double v : row) {
                assertTrue(v >= 0 && v <= 16 && v == Math.rint(v), "block sum " + v);
                max = Math.max(max, v);
            }
            // the 28 x 28 pixels sit centred in 32 x 32: a corner block holds 4 of an inner block's 16 pixels
            // (the zeros' faint values round to 0 everywhere)
            if (t.labels()[i] == 0) {
                assertTrue(row[0] < row[9], "corner block " + row[0] + " against inner block " + row[9]);
            }
        }
        assertEquals(16, max);
    }

    @Test
    void theSameImagesGiveTheSameTables() {
        MnistIdx idx = images(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
        List<MnistTables.Table> a = MnistTables.of(idx);
        List<MnistTables.Table> b = MnistTables.of(idx);
        for (int k = 0; k < a.size(); k++) {
            assertArrayEquals(a.get(k).labels(), b.get(k).labels());
            assertTrue(Arrays.deepEquals(a.get(k).features(), b.get(k).features()), a.get(k).name());
        }
    }

    @Test
    void tablesWhoseDigitsAreMissingAreLeftOut() {
        assertEquals(List.of("mnist17", "optdigits"),
                MnistTables.of(images(0, 1, 7)).stream().map(MnistTables.Table::name).toList());
    }
}
