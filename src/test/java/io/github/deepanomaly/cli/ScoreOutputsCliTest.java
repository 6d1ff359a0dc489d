package io.github.deepanomaly.cli;

import static io.github.deepanomaly.cli.CliTest.assertError;
import static io.github.deepanomaly.cli.CliTest.cli;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.deepanomaly.SparkTestSession;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code score --explain K --normalized --confidence}, run in-process like {@link CliTest}, on data whose
 * anomalies have one known column shifted, so the explanation has a right answer.
 */
class ScoreOutputsCliTest {
    private static final int NORMAL = 1000;
    private static final int ANOMALIES = 20;

    @TempDir
    static Path dir;
    private static Path csv;
    private static Path model;

    /** Normal rows near a line in 4-D; each anomaly is a normal row with column c moved up by 6 of its sd. */
    @BeforeAll
    static void trainOnShiftedColumn() throws Exception {
        SparkTestSession.get();
        Random random = new Random(9);
        List<String> lines = new ArrayList<>(List.of("id,a,b,c,d,label"));
        for (int i = 0; i < NORMAL + ANOMALIES; i++) {
            boolean anomaly = i >= NORMAL;
            double t = random.nextGaussian();
            double[] x = new double[4];
            for (int j = 0; j < 4; j++) {
                x[j] = t * (j + 1) + 0.05 * random.nextGaussian();
            }
            if (anomaly) {
                x[2] += 6 * 3; // c = 3t: sd 3
            }
            lines.add(String.format(Locale.ROOT, "%d,%f,%f,%f,%f,%d", i, x[0], x[1], x[2], x[3], anomaly ? 1 : 0));
        }
        csv = dir.resolve("data.csv");
        Files.write(csv, lines);
        model = dir.resolve("model");
        CliTest.Run train = cli("train", "--input", csv.toString(), "--model", model.toString(), "--label-col",
                "label", "--features", "a,b,c,d", "--set", "maxIter=10", "--set", "hiddenLayers=3,1");
        assertEquals(0, train.code(), train.err());
    }

    @Test
    void parquetKeepsTheExplanationAsStructsBesideNormalizedScoreAndConfidence() {
        Path out = dir.resolve("scored-parquet");
        CliTest.Run run = cli("score", "--model", model.toString(), "--input", csv.toString(), "--output",
                out.toString(), "--explain", "2", "--normalized", "--confidence");
        assertEquals(0, run.code(), run.err());
        SparkSession spark = SparkTestSession.get();
        Dataset<Row> scored = spark.read().parquet(out.toString());
        assertEquals(List.of("id", "a", "b", "c", "d", "label", "anomalyScore", "prediction", "normalizedScore",
                "confidence", "explanation"), List.of(scored.columns()));
        assertEquals("array<struct<name:string,contribution:double>>",
                scored.schema().apply("explanation").dataType().simpleString());
        assertEquals(0, scored.where("normalizedScore < 0 OR normalizedScore > 1 OR confidence < 0 OR confidence > 1"
                + " OR size(explanation) != 2").count());
        // measured 16 of 20 with this quick model: in the other 4 the 1-unit bottleneck slid along the line
        // to fit c and blamed a and d instead (AutoencoderExplanationsTest measures a trained model)
        long blamed = scored.where("label = 1 AND explanation[0].name = 'c'").count();
        assertTrue(blamed >= 0.7 * ANOMALIES, "column c explains only " + blamed + " of " + ANOMALIES);
        assertEquals(0, scored.where("explanation[0].contribution < explanation[1].contribution").count());
    }

    @Test
    void csvWritesTheExplanationAsTextWithFourSignificantDigits() throws Exception {
        Path parquet = dir.resolve("explained-parquet");
        Path text = dir.resolve("explained-csv");
        for (String[] target : List.of(new String[] {parquet.toString(), "parquet"},
                new String[] {text.toString(), "csv"})) {
            CliTest.Run run = cli("score", "--model", model.toString(), "--input", csv.toString(), "--output",
                    target[0], "--format", target[1], "--explain", "3");
            assertEquals(0, run.code(), run.err());
        }
        Map<Integer, String> expected = new HashMap<>();
        for (Row row : SparkTestSession.get().read().parquet(parquet.toString()).select("id", "explanation")
                .collectAsList()) {
            expected.put(row.getInt(0), row.<Row>getList(1).stream()
                    .map(e -> String.format(Locale.ROOT, "%s:%.4g", e.getString(0), e.getDouble(1)))
                    .collect(Collectors.joining(";")));
        }
        List<String> lines = new ArrayList<>();
        try (var parts = Files.list(text)) {
            for (Path part : parts.filter(p -> p.getFileName().toString().startsWith("part-")).toList()) {
                lines.addAll(Files.readAllLines(part));
            }
        }
        assertEquals("id,a,b,c,d,label,anomalyScore,prediction,explanation", lines.get(0));
        int checked = 0;
        for (String line : lines.subList(1, lines.size())) {
            String[] cells = line.split(",");
            String explanation = cells[cells.length - 1];
            // four significant digits: 4.151, 6.854e-05, 13.39, or 1339 (no point at four integer digits)
            assertTrue(explanation.matches("([a-d]:\\d\\.\\d{3}(e[+-]\\d\\d)?|[a-d]:\\d+\\.\\d+|[a-d]:\\d{4})(;[a-d]:[^;]+){2}"),
                    explanation);
            assertEquals(expected.get(Integer.parseInt(cells[0])), explanation);
            checked++;
        }
        assertEquals(NORMAL + ANOMALIES, checked);
    }

    @Test
    void badRequestsEndInOneLineAndExitCode2() {
        String m = model.toString();
        String in = csv.toString();
        assertError("--explain takes how many features to list per row, a whole number >= 1; got '0'", "score",
                "--model", m, "--input", in, "--output", dir.resolve("x").toString(), "--explain", "0");
        assertError("--explain takes how many features to list per row, a whole number >= 1; got 'all'", "score",
                "--model", m, "--input", in, "--output", dir.resolve("x").toString(), "--explain", "all");

        Path noThreshold = dir.resolve("model-no-threshold");
        CliTest.Run train = cli("train", "--input", in, "--model", noThreshold.toString(), "--features", "a,b,c,d",
                "--set", "maxIter=1", "--set", "contamination=0");
        assertEquals(0, train.code(), train.err());
        assertError("--confidence needs a model with a threshold", "score", "--model", noThreshold.toString(),
                "--input", in, "--output", dir.resolve("y").toString(), "--confidence");
    }
}
