package io.github.deepanomaly.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.deepanomaly.AutoencoderParamSet;
import io.github.deepanomaly.SparkTestSession;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The benchmark command (src/bench, found through ServiceLoader on the test classpath): every suite end
 * to end through the CLI, in this JVM, on inputs small enough to take seconds. The
 * figures themselves are not asserted (they are timings, and measured on tiny data); what is: the last
 * stdout line is one JSON object with every figure, numbers finite where they must be.
 */
class BenchmarkCliTest {
    @TempDir
    static Path dir;

    @BeforeAll
    static void sharedSession() {
        SparkTestSession.get(); // Main's getOrCreate() then finds the tests' local[2] session
    }

    private static CliTest.Run succeed(String... argv) {
        CliTest.Run run = CliTest.cli(argv);
        System.out.print(run.out()); // the suite's table, in the test report, to look at when a figure seems odd
        assertEquals(0, run.code(), () -> "exit " + run.code() + "\nstdout:\n" + run.out() + "\nstderr:\n" + run.err());
        return run;
    }

    /** A labelled table in the ADBench format: rows near a line, then a few off it, labelled 1. */
    private static Path labelledCsv(Path file, int normal, int anomalies, int dims, long seed) throws Exception {
        Random random = new Random(seed);
        double[] direction = random.doubles(dims).toArray();
        List<String> lines = new ArrayList<>();
        List<String> header = new ArrayList<>();
        for (int j = 0; j < dims; j++) {
            header.add("f" + j);
        }
        header.add("label");
        lines.add(String.join(",", header));
        for (int i = 0; i < normal + anomalies; i++) {
            boolean anomaly = i >= normal;
            double z = random.nextGaussian();
            StringBuilder line = new StringBuilder();
            for (int j = 0; j < dims; j++) {
                double x = anomaly ? 2 * random.nextGaussian() : z * direction[j] + 0.05 * random.nextGaussian();
                line.append(String.format(Locale.ROOT, "%.5f,", x));
            }
            lines.add(line.append(anomaly ? 1 : 0).toString());
        }
        Files.createDirectories(file.getParent());
        return Files.write(file, lines);
    }

    private static void assertFinite(JsonNode json, String... fields) {
        for (String field : fields) {
            assertTrue(json.has(field), field + " missing from " + json);
            assertTrue(json.get(field).isNumber() && Double.isFinite(json.get(field).asDouble()),
                    field + " is not a finite number in " + json);
        }
    }

    @Test
    void qualityReportsEveryDatasetAndDetectorAndWritesTheRows() throws Exception {
        Path data = dir.resolve("quality");
        labelledCsv(data.resolve("alpha.csv"), 240, 12, 4, 1);
        labelledCsv(data.resolve("beta.csv"), 160, 8, 3, 2);
        labelledCsv(data.resolve("skipped.csv"), 50, 5, 3, 3);
        Path csv = dir.resolve("out/quality.csv");
        CliTest.Run run = succeed("benchmark", "--suite", "quality", "--data", data.toString(), "--exclude", "skipped",
                "--split", "0.6", "--output", csv.toString());
        JsonNode json = run.json();
        assertEquals("quality", json.get("suite").asText());
        JsonNode datasets = json.get("datasets");
        assertEquals(List.of("alpha", "beta"), iterable(datasets.fieldNames()));
        for (JsonNode dataset : datasets) {
            assertFinite(dataset, "rows", "dims");
            // every detector of the CLI by default, and the reference forest
            for (String detector : List.of("autoencoder", "gan", "iforest")) {
                assertFinite(dataset.get(detector), "aucRoc", "aucPr", "fitSeconds", "scoreRowsPerSecond");
            }
        }
        assertFinite(json.get("meanAucRoc"), "autoencoder", "gan", "iforest");
        assertFinite(json.get("meanAucPr"), "autoencoder", "gan", "iforest");
        assertEquals(0.6, json.get("split").asDouble());
        List<String> rows = Files.readAllLines(csv);
        assertEquals(1 + 2 * 3, rows.size(), "header and one row per dataset and detector: " + rows);
        assertTrue(rows.get(0).startsWith("dataset,detector,rows,dims"), rows.get(0));
    }

    @Test
    void qualitySplitSeedKeepsOneSplitWhileTheDetectorsSeedsChange() throws Exception {
        Path data = dir.resolve("split-seed");
        labelledCsv(data.resolve("gamma.csv"), 300, 15, 4, 5);
        List<List<String>> fitRows = new ArrayList<>();
        for (String seed : List.of("1", "2")) {
            Path csv = dir.resolve("out/split-seed-" + seed + ".csv");
            JsonNode json = succeed("benchmark", "--suite", "quality", "--data", data.toString(), "--detectors",
                    "autoencoder", "--split", "0.6", "--seed", seed, "--split-seed", "7", "--output", csv.toString())
                    .json();
            assertEquals(Long.parseLong(seed), json.get("seed").asLong());
            assertEquals(7, json.get("splitSeed").asLong());
            // the fitRows column of every row (one per detector): the split's size
            fitRows.add(Files.readAllLines(csv).stream().skip(1).map(r -> r.split(",")[4]).toList());
        }
        assertEquals(fitRows.get(0), fitRows.get(1));
        CliTest.assertError("--split-seed seeds the split of --split", "benchmark", "--suite", "quality", "--data",
                data.toString(), "--split-seed", "7");
    }

    @Test
    void overheadComparesLocalAndDistributedFits() throws Exception {
        JsonNode json = succeed("benchmark", "--suite", "overhead", "--rows", "2000", "--dims", "5", "--epochs", "4")
                .json();
        assertFinite(json, "distributedSeconds", "localSeconds", "ratio", "localLoss", "distributedLoss");
        assertTrue(json.has("epochsToMatch"), "epochsToMatch missing: " + json);
        boolean matched = json.get("matched").asBoolean();
        assertEquals(matched, json.get("epochsToMatch").isInt(), json.toString());
        assertTrue(!matched || json.get("distributedLoss").asDouble() <= json.get("localLoss").asDouble(), json.toString());
        JsonNode dl4jSpark = json.get("dl4jSpark");
        assertFinite(dl4jSpark, "seconds", "ratio", "loss");
        assertEquals(dl4jSpark.get("matched").asBoolean(), dl4jSpark.get("epochsToMatch").isInt(), json.toString());
        assertFinite(json, "engineOverDl4jSpark");
    }

    @Test
    void throughputComparesOursIsolationForestAndRawDl4j() throws Exception {
        Path csv = labelledCsv(dir.resolve("throughput/small.csv"), 1500, 30, 3, 4);
        JsonNode json = succeed("benchmark", "--suite", "throughput", "--input", csv.toString(), "--repeats", "1").json();
        assertFinite(json, "rows", "dims", "oursRowsPerSecond", "iforestRowsPerSecond", "rawRowsPerSecond",
                "oursVsIforest", "oursVsRaw", "sparkReadRowsPerSecond", "oursVsSparkRead");
        assertEquals(1530, json.get("rows").asLong());
        assertEquals(3, json.get("dims").asInt(), "the label is not a feature");
    }

    @Test
    void scalingReportsTimesPerSizeAndTheGrowthExponent() throws Exception {
        JsonNode json = succeed("benchmark", "--suite", "scaling", "--sizes", "2000,4000", "--dims", "4").json();
        assertEquals(List.of(2000L, 4000L), iterable(json.get("sizes").elements()).stream().map(JsonNode::asLong).toList());
        for (String series : List.of("fitSeconds", "scoreSeconds", "cachedMegabytes", "dataFrameMegabytes")) {
            assertEquals(2, json.get(series).size(), series);
            json.get(series).forEach(t -> assertTrue(t.isNumber() && t.asDouble() > 0, series + ": " + json));
        }
        assertFinite(json, "fitExponent", "scoreExponent");
    }

    @Test
    void pathsComparesRowByRowAndBatchedScoringPerWidth() throws Exception {
        JsonNode json = succeed("benchmark", "--suite", "paths", "--dims", "3,12", "--rows", "3000", "--repeats", "1")
                .json();
        assertFinite(json, "rows", "rowByRowLimit");
        JsonNode widths = json.get("widths");
        assertEquals(List.of(3, 12), iterable(widths.elements()).stream().map(w -> w.get("dims").asInt()).toList());
        // default layers [d/2, d/4]: 3-2-1-2-3 and 12-6-3-6-12
        assertEquals(List.of(16, 180), iterable(widths.elements()).stream().map(w -> w.get("multiplyAdds").asInt())
                .toList());
        widths.forEach(w -> assertFinite(w, "rowByRowRowsPerSecond", "batchedRowsPerSecond", "ratio"));
        // the default pair of networks, and one network when --set says so
        assertEquals(List.of(2, 2), iterable(widths.elements()).stream().map(w -> w.get("networks").asInt()).toList());
        JsonNode one = succeed("benchmark", "--suite", "paths", "--dims", "3", "--rows", "3000", "--repeats", "1",
                "--set", "plainNetwork=false").json();
        assertEquals(1, one.get("widths").get(0).get("networks").asInt());
    }

    /** MNIST's IDX layout, gzipped: 120 random 8x8 "images", blobs in one corner for digit 0, elsewhere for 1 and 2. */
    private static Path tinyIdx(Path folder) throws Exception {
        Files.createDirectories(folder);
        int count = 120;
        int side = 8;
        Random random = new Random(3);
        java.io.ByteArrayOutputStream images = new java.io.ByteArrayOutputStream();
        java.io.DataOutputStream out = new java.io.DataOutputStream(images);
        out.writeInt(0x803);
        out.writeInt(count);
        out.writeInt(side);
        out.writeInt(side);
        byte[] labels = new byte[count];
        for (int i = 0; i < count; i++) {
            labels[i] = (byte) (i % 3);
            int corner = (i % 3) * 2;
            for (int p = 0; p < side * side; p++) {
                int y = p / side;
                int x = p % side;
                boolean ink = Math.abs(y - corner - 1) < 2 && Math.abs(x - corner - 1) < 2;
                out.writeByte(ink ? 200 + random.nextInt(55) : random.nextInt(20));
            }
        }
        writeGzip(folder.resolve("t10k-images-idx3-ubyte.gz"), images.toByteArray());
        java.io.ByteArrayOutputStream labelFile = new java.io.ByteArrayOutputStream();
        java.io.DataOutputStream labelOut = new java.io.DataOutputStream(labelFile);
        labelOut.writeInt(0x801);
        labelOut.writeInt(count);
        labelOut.write(labels);
        writeGzip(folder.resolve("t10k-labels-idx1-ubyte.gz"), labelFile.toByteArray());
        return folder;
    }

    private static void writeGzip(Path file, byte[] bytes) throws Exception {
        try (java.util.zip.GZIPOutputStream gz = new java.util.zip.GZIPOutputStream(Files.newOutputStream(file))) {
            gz.write(bytes);
        }
    }

    @Test
    void imagesReportsEveryDigitAndDetector() throws Exception {
        Path data = tinyIdx(dir.resolve("mnist"));
        JsonNode json = succeed("benchmark", "--suite", "images", "--data", data.toString(), "--digits", "0,1",
                "--set", "maxIter=2", "--set", "filters=4", "--set", "latentSize=4").json();
        assertEquals(2, json.get("digits").size());
        for (JsonNode digit : json.get("digits")) {
            for (String detector : List.of("convAutoencoder", "autoencoder", "iforest")) {
                JsonNode figures = digit.get(detector);
                for (String figure : List.of("aucRoc", "aucPr", "fitSeconds", "imagesPerSecond")) {
                    assertTrue(figures.get(figure).isNumber() && Double.isFinite(figures.get(figure).asDouble()),
                            detector + " " + figure + " in " + digit);
                }
            }
        }
        assertEquals(60, json.get("scoredImages").asLong());
        for (String detector : List.of("convAutoencoder", "autoencoder", "iforest")) {
            assertTrue(json.get("meanAucRoc").get(detector).isNumber(), json.toString());
        }
        assertTrue(json.get("offHeapScoreMegabytes").asDouble() >= 0, json.toString());
    }

    /** Tables no default was chosen on: here the tiny images (digits 0, 1, 2) make only the optdigits-like one. */
    @Test
    void qualityBuildsItsTablesFromMnistImages() throws Exception {
        Path images = tinyIdx(dir.resolve("mnist-tables"));
        JsonNode json = succeed("benchmark", "--suite", "quality", "--mnist", images.toString(), "--detectors",
                "autoencoder", "--seed", "2").json();
        JsonNode datasets = json.get("datasets");
        assertEquals(List.of("optdigits"), iterable(datasets.fieldNames()));
        JsonNode optdigits = datasets.get("optdigits");
        assertEquals(120, optdigits.get("rows").asInt(), "80 images of 1 and 2, the 40 zeros as anomalies");
        assertEquals(64, optdigits.get("dims").asInt());
        for (String detector : List.of("autoencoder", "iforest")) {
            assertFinite(optdigits.get(detector), "aucRoc", "aucPr", "fitSeconds", "scoreRowsPerSecond");
        }
        CliTest.assertError("one of the two", "benchmark", "--suite", "quality", "--mnist", images.toString(),
                "--data", images.toString());
        CliTest.assertError("one of the two", "benchmark", "--suite", "quality");
        CliTest.assertError("--mnist " + dir + " must hold MNIST's", "benchmark", "--suite", "quality", "--mnist",
                dir.toString());
        CliTest.assertError("no table could be made", "benchmark", "--suite", "quality", "--mnist", images.toString(),
                "--exclude", "optdigits");
    }

    /**
     * The export holds all a score needs: replayed here from the JSON alone (standardize, each network's layers as
     * many times as its passes, each feature's squared error, logarithmic above its limit, times its weight; the networks' mean), it gives
     * the model's own scores.
     */
    @Test
    void exportWritesRowsAndNetworksThatReproduceTheScores() throws Exception {
        Path data = dir.resolve("export");
        labelledCsv(data.resolve("delta.csv"), 300, 15, 4, 9);
        Path out = dir.resolve("out/export");
        JsonNode report = succeed("benchmark", "--suite", "export", "--data", data.toString(), "--out", out.toString(),
                "--split", "0.6", "--seed", "3").json();
        assertEquals(List.of(out.resolve("delta_split_s3.json").toString()), iterable(report.get("files").elements())
                .stream().map(JsonNode::asText).toList());
        JsonNode json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(out.resolve("delta_split_s3.json")
                .toFile());
        assertEquals(315, json.get("x").size());
        assertEquals(15, (int) iterable(json.get("label").elements()).stream().filter(l -> l.asDouble() == 1).count());
        long fitted = iterable(json.get("fit").elements()).stream().filter(f -> f.asInt() == 1).count();
        assertTrue(fitted > 150 && fitted < 230, "about 60 % fitted on: " + fitted);
        assertEquals(2, json.get("networks").size(), "the default pair");
        assertEquals(AutoencoderParamSet.DEFAULT_DENOISING_PASSES, json.get("networks").get(0).get("passes").asInt());
        assertEquals(1, json.get("networks").get(1).get("passes").asInt(), "the plain network");
        for (int i = 0; i < 315; i += 7) {
            double expected = json.get("score").get(i).asDouble();
            assertEquals(expected, replayedScore(json, i), 1e-4 * expected, "row " + i);
        }
        CliTest.assertError("--out " + data.resolve("delta.csv") + " is a file", "benchmark", "--suite", "export",
                "--data", data.toString(), "--out", data.resolve("delta.csv").toString());
        CliTest.assertError("Missing --out", "benchmark", "--suite", "export", "--data", data.toString());
    }

    @Test
    void subsamplesComparesOnePairWithMembersFittedOnSamples() throws Exception {
        Path data = dir.resolve("subsamples");
        labelledCsv(data.resolve("epsilon.csv"), 300, 15, 4, 11);
        Path csv = dir.resolve("out/subsamples.csv");
        JsonNode json = succeed("benchmark", "--suite", "subsamples", "--data", data.toString(), "--members", "3",
                "--sample-rows", "120", "--seed", "2", "--output", csv.toString()).json();
        assertEquals(3, json.get("members").asInt());
        assertEquals(120, json.get("sampleRows").asInt());
        JsonNode epsilon = json.get("datasets").get("epsilon");
        for (String combination : List.of("pair", "member", "members", "pairAndMembers")) {
            assertFinite(epsilon, combination);
            // anomalies off the line the normal rows lie near: every combination finds them
            assertTrue(epsilon.get(combination).asDouble() > 0.9, combination + ": " + epsilon);
        }
        assertTrue(epsilon.get("membersFitSeconds").asDouble() > 0, epsilon.toString());
        List<String> rows = Files.readAllLines(csv);
        assertEquals(2, rows.size(), "header and one row: " + rows);
        assertTrue(rows.get(1).startsWith("epsilon,315,120,"), rows.get(1));
        CliTest.assertError("--members takes a positive whole number, got '0'", "benchmark", "--suite", "subsamples",
                "--data", data.toString(), "--members", "0");
    }

    private static double replayedScore(JsonNode json, int row) {
        int d = json.get("mean").size();
        double[] x = new double[d];
        for (int j = 0; j < d; j++) {
            x[j] = (json.get("x").get(row).get(j).asDouble() - json.get("mean").get(j).asDouble())
                    / json.get("scale").get(j).asDouble();
        }
        double sum = 0;
        for (JsonNode network : json.get("networks")) {
            double[] h = x;
            for (int pass = 0; pass < network.get("passes").asInt(); pass++) {
                for (JsonNode layer : network.get("layers")) {
                    int in = layer.get("in").asInt();
                    int outs = layer.get("out").asInt();
                    double[] next = new double[outs];
                    for (int o = 0; o < outs; o++) {
                        double z = layer.get("b").get(o).asDouble();
                        for (int k = 0; k < in; k++) {
                            z += h[k] * layer.get("W").get(k * outs + o).asDouble();
                        }
                        next[o] = switch (layer.get("activation").asText()) {
                            case "tanh" -> Math.tanh(z);
                            case "identity" -> z;
                            default -> throw new AssertionError("activation " + layer.get("activation"));
                        };
                    }
                    h = next;
                }
            }
            double score = 0;
            for (int j = 0; j < d; j++) {
                double squared = (h[j] - x[j]) * (h[j] - x[j]);
                double limit = network.get("limits").get(j).asDouble();
                if (squared > limit && limit > 0) {
                    squared = limit * (1 + Math.log(squared / limit));
                }
                score += squared * network.get("weights").get(j).asDouble() / d;
            }
            sum += score;
        }
        return sum / json.get("networks").size();
    }

    @Test
    void helpListsBenchmarkAndMistakesAreUsageErrors() {
        CliTest.Run help = succeed("help");
        assertTrue(help.out().contains("benchmark --suite quality"), help.out());
        CliTest.assertError("Missing --suite; one of quality, overhead, throughput, scaling, paths", "benchmark");
        CliTest.assertError("Unknown option --rows for benchmark --suite scaling", "benchmark", "--suite", "scaling",
                "--rows", "5");
        CliTest.assertError("is not a directory", "benchmark", "--suite", "quality", "--data",
                dir.resolve("none").toString());
        CliTest.assertError("--sizes takes positive whole numbers", "benchmark", "--suite", "scaling", "--sizes", "10,x");
        CliTest.assertError("--dims takes positive whole numbers", "benchmark", "--suite", "paths", "--dims", "3,0");
    }

    private static <T> List<T> iterable(java.util.Iterator<T> iterator) {
        List<T> list = new ArrayList<>();
        iterator.forEachRemaining(list::add);
        return list;
    }
}
