package io.github.deepanomaly.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.deepanomaly.SparkTestSession;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line, run in-process on the shared local[2] session (spark.master is already set). */
class CliTest {
    @TempDir
    static Path dir;
    private static Path csv;
    private static Path model;

    /** What one run printed and returned. */
    record Run(int code, String out, String err) {
        JsonNode json() throws Exception {
            String[] lines = out.strip().split("\n");
            return new ObjectMapper().readTree(lines[lines.length - 1]);
        }
    }

    static Run cli(String... argv) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(argv, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** 1000 normal rows near a line in 4-D plus 20 off it; an id column that must not become a feature. */
    @BeforeAll
    static void writeData() throws Exception {
        SparkTestSession.get();
        Random random = new Random(5);
        List<String> lines = new ArrayList<>(List.of("id,a,b,c,d,name,label"));
        for (int i = 0; i < 1020; i++) {
            boolean anomaly = i >= 1000;
            double t = random.nextGaussian();
            double[] x = new double[4];
            for (int j = 0; j < 4; j++) {
                x[j] = anomaly ? 2 * random.nextGaussian() : t * (j + 1) + 0.05 * random.nextGaussian();
            }
            lines.add(String.format(java.util.Locale.ROOT, "%d,%f,%f,%f,%f,n%d,%d", i, x[0], x[1], x[2], x[3], i,
                    anomaly ? 1 : 0));
        }
        csv = dir.resolve("data.csv");
        Files.write(csv, lines);
        model = dir.resolve("model");
        // no input noise: the normal rows lie on a line within 0.05, a tight relation the noise blurs
        Run train = cli("train", "--input", csv.toString(), "--model", model.toString(), "--label-col", "label",
                "--features", "a,b,c,d", "--set", "maxIter=20", "--set", "batchSize=32", "--set", "hiddenLayers=3,1",
                "--set", "inputNoise=0");
        assertEquals(0, train.code(), train.err());
    }

    @Test
    void trainReportsWhatItDidAndWritesAPipelineModel() throws Exception {
        Path other = dir.resolve("model-all-numeric");
        Run run = cli("train", "--input", csv.toString(), "--model", other.toString(), "--label-col", "label",
                "--set", "maxIter=1");
        assertEquals(0, run.code(), run.err());
        JsonNode json = run.json();
        // every numeric column but the label, so the id too; the string column is left out
        assertEquals("[\"id\",\"a\",\"b\",\"c\",\"d\"]", json.get("features").toString());
        assertEquals(1020, json.get("rows").asLong());
        assertTrue(json.get("fitSeconds").asDouble() > 0);
        assertTrue(Files.isDirectory(other.resolve("stages")));
        assertEquals(List.of("note: left out name (string): not numeric; the features are every numeric column but"
                + " the label, unless you choose them with --features a,b,c"), run.err().lines().toList());
    }

    @Test
    void textColumnsLeftOutOfTheFeaturesAreNamedOnStderr() throws Exception {
        Path mixed = dir.resolve("mixed.csv");
        List<String> lines = new ArrayList<>(List.of("a,b,label"));
        for (int i = 0; i < 50; i++) {
            lines.add(i + ",text" + i + "," + (i % 10 == 0 ? 1 : 0));
        }
        Files.write(mixed, lines);
        Run run = cli("train", "--input", mixed.toString(), "--model", dir.resolve("model-mixed").toString(),
                "--label-col", "label", "--set", "maxIter=1");
        assertEquals(0, run.code(), run.err());
        assertEquals("[\"a\"]", run.json().get("features").toString());
        List<String> err = run.err().lines().toList();
        assertEquals(1, err.size(), run.err());
        assertTrue(err.get(0).startsWith("note: left out b (string): not numeric") && err.get(0).contains("--features"),
                run.err());
    }

    @Test
    void anExistingModelIsRefusedBeforeTheFit() {
        Run run = cli("train", "--input", csv.toString(), "--model", model.toString(), "--label-col", "label");
        assertEquals(Main.USAGE_ERROR, run.code(), run.err());
        assertTrue(run.err().contains("Model directory " + model + " already exists; pass --overwrite"), run.err());
        assertEquals("", run.out(), "nothing trained");
    }

    @Test
    void unusableRowsAreNamedByTheInputsColumnsAndTheFirstRowsValues() throws Exception {
        Path bad = dir.resolve("nan.csv");
        List<String> lines = new ArrayList<>(List.of("x,y,label"));
        for (int i = 0; i < 40; i++) {
            lines.add(i == 7 ? "7.5,NaN,0" : i == 9 ? "9.5,,1" : i + ".5," + (2 * i) + ".0,0");
        }
        Files.write(bad, lines);
        Run run = cli("train", "--input", bad.toString(), "--model", dir.resolve("model-nan").toString(),
                "--label-col", "label");
        assertEquals(Main.USAGE_ERROR, run.code(), run.err());
        assertEquals(List.of("error: 2 rows have an empty, NaN or infinite value in the feature columns (x, y); the first:"
                + " x=7.5, y=NaN; fix the data, or pass --set handleInvalid=skip to train without such rows"),
                run.err().lines().toList());
    }

    @Test
    void aClusterMasterIsRefusedBeforeStartingWhenNothingShipsTheClasses() {
        assertError("run through bin/deep-anomaly, which sends target/spark-deep-anomaly-assembly.jar", "--master",
                "spark://127.0.0.1:7077", "train", "--input", csv.toString(), "--model", model + "z");
    }

    @Test
    void evaluateEndsWithTheFiguresAsJson() throws Exception {
        Run run = cli("evaluate", "--model", model.toString(), "--input", csv.toString(), "--label-col", "label");
        assertEquals(0, run.code(), run.err());
        JsonNode json = run.json();
        for (String key : List.of("aucRoc", "aucPr", "rows", "anomalies", "scoreSeconds", "labelledAnomalies")) {
            assertTrue(json.has(key), key + " missing in " + json);
        }
        assertEquals(1020, json.get("rows").asLong());
        assertEquals(20, json.get("labelledAnomalies").asLong());
        assertTrue(json.get("aucRoc").asDouble() > 0.9, json.toString());
        assertTrue(run.out().contains("AUC-ROC"));
    }

    @Test
    void scoreWritesTheInputColumnsPlusScoreAndPrediction() throws Exception {
        Path parquet = dir.resolve("scored-parquet");
        Run run = cli("score", "--model", model.toString(), "--input", csv.toString(), "--output", parquet.toString());
        assertEquals(0, run.code(), run.err());
        Dataset<Row> scored = SparkTestSession.get().read().parquet(parquet.toString());
        assertEquals(List.of("id", "a", "b", "c", "d", "name", "label", "anomalyScore", "prediction"),
                List.of(scored.columns()));
        assertEquals(1020, scored.count());
        assertEquals(scored.where("prediction = 1.0").count(), run.json().get("anomalies").asLong());

        Path csvOut = dir.resolve("scored-csv");
        Run asCsv = cli("score", "--model", model.toString(), "--input", csv.toString(), "--output", csvOut.toString(),
                "--format", "csv");
        assertEquals(0, asCsv.code(), asCsv.err());
        List<String> header = new ArrayList<>();
        try (var parts = Files.list(csvOut)) {
            Path part = parts.filter(p -> p.getFileName().toString().startsWith("part-")).findFirst().orElseThrow();
            header.add(Files.readAllLines(part).get(0));
        }
        assertEquals("id,a,b,c,d,name,label,anomalyScore,prediction", header.get(0));

        Run again = cli("score", "--model", model.toString(), "--input", csv.toString(), "--output", csvOut.toString());
        assertEquals(Main.USAGE_ERROR, again.code());
        assertTrue(again.err().contains("already exists; pass --overwrite"), again.err());
    }

    @Test
    void badInputEndsInOneLineAndExitCode2() throws Exception {
        Path text = dir.resolve("text.csv");
        Files.write(text, List.of("a,b,label", "x,1,0", "y,2,1"));
        Path empty = dir.resolve("empty.csv");
        Files.write(empty, List.of("a,b,label"));
        String m = model.toString();
        String in = csv.toString();
        assertError("Input not found: /nope.csv", "train", "--input", "/nope.csv", "--model", m + "x");
        assertError("Feature column 'zzz' not found", "train", "--input", in, "--model", m + "x", "--features", "zzz");
        assertError("Feature column 'a' is string, not numeric", "train", "--input", text.toString(), "--model",
                m + "x", "--features", "a,b");
        assertError("Input " + empty + " has no rows", "train", "--input", empty.toString(), "--model", m + "x");
        assertError("Unknown detector 'forest'; available: autoencoder", "train", "--detector", "forest",
                "--input", in, "--model", m + "x");
        assertError("Unknown param 'epochs'; settable params:", "train", "--input", in, "--model", m + "x",
                "--set", "epochs=3");
        assertError("Invalid value 'lots' for maxIter", "train", "--input", in, "--model", m + "x",
                "--set", "maxIter=lots");
        assertError("Invalid value '0.9' for contamination", "train", "--input", in, "--model", m + "x",
                "--set", "contamination=0.9");
        assertError("Unknown option --inptu for train", "train", "--inptu", in);
        assertError("Missing --label-col", "evaluate", "--model", m, "--input", in);
        assertError("Label column 'y' not found", "evaluate", "--model", m, "--input", in, "--label-col", "y");
        assertError("No model at /nowhere", "score", "--model", "/nowhere", "--input", in, "--output", m + "y");
        assertError("The input lacks column 'c', which the model was trained on", "evaluate", "--model", m,
                "--input", text.toString(), "--label-col", "label");
        assertError("Model directory " + m + " already exists; pass --overwrite", "train", "--input", in,
                "--model", m);
        assertError("unknown command 'fit'", "fit");
    }

    @Test
    void badEarlyStoppingSettingsEndInOneLineAndWriteNothing() throws Exception {
        Path tiny = dir.resolve("tiny.csv");
        Files.write(tiny, List.of("a,b,label", "1,2,0", "2,3,0", "3,5,0", "4,4,1", "5,7,0"));
        Path target = dir.resolve("early-stopping-model");
        String in = csv.toString();
        assertError("Invalid value '0.5' for validationFraction", "train", "--input", in, "--model",
                target.toString(), "--set", "validationFraction=0.5");
        assertError("Invalid value '-0.1' for validationFraction", "train", "--input", in, "--model",
                target.toString(), "--set", "validationFraction=-0.1");
        assertError("Invalid value '0' for patience", "train", "--input", in, "--model", target.toString(),
                "--set", "patience=0");
        assertError("validationFraction 0.1 holds out no rows of this table (5 usable rows", "train", "--input",
                tiny.toString(), "--label-col", "label", "--model", target.toString());
        assertFalse(Files.exists(target), "nothing written");
    }

    @Test
    void theGanTrainsScoresAndEvaluatesLikeTheAutoencoder() throws Exception {
        Path gan = dir.resolve("gan-model");
        String in = csv.toString();
        // untrimmed: this table's normal rows lie along a line, and the trim would leave out its far ends like
        // anomalies (AUC-ROC 0.84 instead of 0.96; README, "GanDetector", trimFraction)
        Run train = cli("train", "--detector", "gan", "--input", in, "--model", gan.toString(), "--label-col", "label",
                "--features", "a,b,c,d", "--set", "maxIter=10", "--set", "batchSize=32", "--set", "hiddenLayers=3,1",
                "--set", "trimFraction=0");
        assertEquals(0, train.code(), train.err());
        Run evaluate = cli("evaluate", "--model", gan.toString(), "--input", in, "--label-col", "label");
        assertEquals(0, evaluate.code(), evaluate.err());
        assertTrue(evaluate.json().get("aucRoc").asDouble() > 0.9, evaluate.out());
        Path scored = dir.resolve("gan-scored");
        Run score = cli("score", "--model", gan.toString(), "--input", in, "--output", scored.toString());
        assertEquals(0, score.code(), score.err());
        assertEquals(List.of("id", "a", "b", "c", "d", "name", "label", "anomalyScore", "prediction"),
                List.of(SparkTestSession.get().read().parquet(scored.toString()).columns()));

        String m = dir.resolve("gan-refused").toString();
        assertError("Invalid value 'anogan' for scoreMethod", "train", "--detector", "gan", "--input", in, "--model",
                m, "--set", "scoreMethod=anogan");
        assertError("Invalid value '0' for discriminatorSteps", "train", "--detector", "gan", "--input", in,
                "--model", m, "--set", "discriminatorSteps=0");
        assertError("Unknown param 'discriminatorSteps'; settable params:", "train", "--input", in, "--model", m,
                "--set", "discriminatorSteps=2");
        assertError("trains more: set trainingEngine to 'averaging'", "train", "--detector", "gan", "--input", in,
                "--model", m, "--set", "trainingEngine=dl4j-spark");
        assertFalse(Files.exists(Path.of(m)), "nothing written");

        Run demo = cli("demo", "--detector", "gan", "--set", "maxIter=2");
        assertEquals(0, demo.code(), demo.err());
        assertTrue(demo.json().get("aucRoc").asDouble() > 0.8, demo.out());
    }

    static void assertError(String expected, String... argv) {
        Run run = cli(argv);
        assertEquals(Main.USAGE_ERROR, run.code(), "exit code of " + String.join(" ", argv) + "\n" + run.err());
        String[] lines = run.err().strip().split("\n");
        String last = lines[lines.length - 1];
        assertTrue(last.startsWith("error: ") && last.contains(expected),
                "expected '" + expected + "' in: " + run.err());
        assertFalse(run.err().contains("\tat "), "stack trace printed: " + run.err());
    }

    @Test
    void helpListsEveryCommand() {
        Run run = cli("help");
        assertEquals(0, run.code());
        for (String command : List.of("train", "score", "evaluate", "demo")) {
            assertTrue(run.out().contains("  " + command), command);
        }
    }
}
