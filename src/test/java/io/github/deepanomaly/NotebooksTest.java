package io.github.deepanomaly;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import scala.collection.JavaConverters;
import scala.tools.nsc.Settings;
import scala.tools.nsc.interpreter.IMain;
import scala.tools.nsc.interpreter.Results;

/**
 * Every Zeppelin note under {@code notebooks/} imports into Zeppelin and runs start to finish.
 *
 * <p>A real Zeppelin cannot start here (Maven Central has only Zeppelin 0.10.1, without the Scala
 * interpreter module), so the notes run the way Zeppelin's Spark interpreter for Scala 2.12 runs them:
 * each {@code %spark} (or unprefixed) paragraph as one {@code interpret} call of the compiler's REPL
 * ({@code IMain}, {@code -Yrepl-class-based}, classes written to a folder that Spark serves to the
 * executors through {@code spark.repl.class.outputDir}), with {@code spark}, {@code sc} and
 * {@code sqlContext} bound and Zeppelin's imports; each {@code %sql} paragraph with {@code spark.sql}.
 * Every note runs in an interpreter and a SparkContext of its own, as when a user imports that note
 * alone: a note that leans on another note's values fails here. Zeppelin's {@code z} is not bound.
 *
 * <p>Surefire runs all test classes in one JVM, and a JVM holds one SparkContext: the shared
 * {@link SparkTestSession} is stopped first (the next {@code get()} starts it again).
 */
class NotebooksTest {
    private static final Path NOTEBOOKS = Path.of("notebooks");
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Fields Zeppelin's import reads without a null check: an explicit null there fails the import. */
    private static final Set<String> NEVER_NULL = Set.of("info", "settings", "paragraphs");
    private static final Set<String> CHART_MODES =
            Set.of("multiBarChart", "lineChart", "scatterChart", "stackedAreaChart", "pieChart");
    /** zeppelin.spark.maxResult's default: a %sql result beyond it is cut, and its chart with it. */
    private static final int MAX_RESULT = 1000;

    @BeforeAll
    static void freeTheSparkContext() {
        SparkTestSession.stop();
    }

    static Stream<Path> notes() throws IOException {
        try (Stream<Path> files = Files.list(NOTEBOOKS)) {
            List<Path> notes = files.filter(f -> f.toString().endsWith(".zpln")).sorted().toList();
            assertFalse(notes.isEmpty(), "no .zpln note in " + NOTEBOOKS.toAbsolutePath());
            return notes.stream();
        }
    }

    /** Each detector stage of the library has a note that builds it (the issue: one note per detector). */
    @Test
    void everyDetectorHasANote() throws IOException {
        String allText;
        try (Stream<Path> notes = notes()) {
            allText = notes.map(NotebooksTest::read)
                    .flatMap(note -> paragraphs(note).stream())
                    .map(p -> p.path("text").asText())
                    .collect(Collectors.joining("\n"));
        }
        try (Stream<Path> sources = Files.list(Path.of("src/main/java/io/github/deepanomaly"))) {
            List<String> detectors = sources.map(f -> f.getFileName().toString())
                    .filter(name -> name.endsWith("Detector.java"))
                    .map(name -> name.substring(0, name.length() - ".java".length()))
                    .toList();
            assertFalse(detectors.isEmpty());
            for (String detector : detectors) {
                assertTrue(allText.contains("new " + detector + "()"),
                        detector + " has no note under notebooks/ that builds it");
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("notes")
    void noteImportsIntoZeppelinWithItsCharts(Path file) {
        assertEquals(List.of(), importProblems(read(file)), file + ": Zeppelin would not import it, or not draw its charts");
    }

    /** The check above finds what it is there for, in a note that has each of those faults. */
    @Test
    void importCheckFindsNullsMissingIdsAndChartsWithoutSettings() throws IOException {
        JsonNode faulty = JSON.readTree("""
                {"name": "faulty", "defaultInterpreterGroup": "spark", "info": null, "paragraphs": [
                  {"text": "%spark\\n1", "config": {}, "settings": null},
                  {"id": "p2", "text": "%sql\\nSELECT 1 AS x", "config": {"results": {}},
                   "settings": {"params": {}, "forms": {}}},
                  {"id": "p3", "text": "%sql\\nSELECT 1 AS x",
                   "config": {"results": {"0": {"graph": {"mode": "lineChart", "keys": [], "groups": [], "values": []}}}},
                   "settings": {"params": {}, "forms": {}}}]}
                """);
        assertProblems(faulty, "explicit null at .info", "explicit null at .paragraphs[0].settings",
                "paragraph 1: no id", "paragraph p2: %sql without a chart", "paragraph p3: graph.keys is empty",
                "paragraph p3: graph.values is empty");
        assertProblems(JSON.readTree("""
                {"name": "n", "defaultInterpreterGroup": "spark", "info": {}, "paragraphs": null}
                """), "explicit null at .paragraphs");
    }

    private static void assertProblems(JsonNode note, String... expected) {
        List<String> problems = importProblems(note);
        for (String problem : expected) {
            assertTrue(problems.stream().anyMatch(found -> found.startsWith(problem)), problem + " not in " + problems);
        }
    }

    /** What Zeppelin's import and its charts need of a note; empty when it has all of it. */
    static List<String> importProblems(JsonNode note) {
        List<String> problems = new ArrayList<>();
        explicitNulls(note, "", problems);
        if (!note.path("name").isTextual() || note.path("name").asText().isBlank()) {
            problems.add("no name");
        }
        if (!note.path("defaultInterpreterGroup").asText().equals("spark")) {
            problems.add("defaultInterpreterGroup is not \"spark\"");
        }
        if (!note.path("info").isObject()) {
            problems.add("info is not an object");
        }
        if (!note.path("paragraphs").isArray() || note.path("paragraphs").isEmpty()) {
            problems.add("no paragraphs");
        }
        Set<String> ids = new HashSet<>();
        int charts = 0;
        List<JsonNode> paragraphs = paragraphs(note);
        for (int i = 0; i < paragraphs.size(); i++) {
            JsonNode p = paragraphs.get(i);
            String id = p.path("id").asText("");
            String where = "paragraph " + (id.isBlank() ? String.valueOf(i + 1) : id) + ": ";
            if (id.isBlank()) {
                problems.add(where + "no id");
            } else if (!ids.add(id)) {
                problems.add(where + "id used twice");
            }
            if (!p.path("text").isTextual() || !p.path("config").isObject()) {
                problems.add(where + "text or config missing");
            }
            if (!p.path("settings").path("params").isObject() || !p.path("settings").path("forms").isObject()) {
                problems.add(where + "settings.params or settings.forms missing");
            }
            String interpreter = Paragraph.of(p).interpreter;
            if (!Set.of("spark", "sql", "md").contains(interpreter)) {
                problems.add(where + "%" + interpreter + " is neither %spark, %sql nor %md, the test cannot run it");
            }
            if (interpreter.equals("sql")) {
                charts++;
                JsonNode graph = graph(p);
                if (!CHART_MODES.contains(graph.path("mode").asText())) {
                    problems.add(where + "%sql without a chart: config.results.0.graph.mode is not one of " + CHART_MODES);
                    continue;
                }
                for (String axis : List.of("keys", "values")) {
                    if (!graph.path(axis).isArray() || graph.path(axis).isEmpty()) {
                        problems.add(where + "graph." + axis + " is empty");
                    }
                }
                if (!graph.path("groups").isArray()) {
                    problems.add(where + "graph.groups missing");
                }
            }
        }
        if (charts == 0) {
            problems.add("no %sql chart");
        }
        return problems;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("notes")
    void noteRunsStartToFinish(Path file, @TempDir Path replClasses) {
        JsonNode note = read(file);
        String name = note.path("name").asText();
        StringWriter replOutput = new StringWriter();
        IMain repl = scalaRepl(replClasses, replOutput);
        ClassLoader testLoader = Thread.currentThread().getContextClassLoader();
        SparkSession spark = SparkTestSession.localBuilder("notebook " + name)
                // as Zeppelin and spark-shell do: executors load the paragraphs' classes from this folder
                .config("spark.repl.class.outputDir", replClasses.toAbsolutePath().toString())
                .getOrCreate();
        long start = System.nanoTime();
        try {
            bindLikeZeppelin(repl, spark, name);
            // Zeppelin runs paragraphs with the REPL's class loader as the thread's context class loader
            Thread.currentThread().setContextClassLoader(repl.classLoader());
            List<JsonNode> paragraphs = paragraphs(note);
            for (int i = 0; i < paragraphs.size(); i++) {
                Paragraph paragraph = Paragraph.of(paragraphs.get(i));
                String where = "note \"" + name + "\" (" + file + "), paragraph " + (i + 1) + " of "
                        + paragraphs.size() + " (" + paragraph.id + ")";
                long t = System.nanoTime();
                switch (paragraph.interpreter) {
                    case "spark" -> runScala(repl, replOutput, paragraph.code, where);
                    case "sql" -> runSql(spark, paragraph, graph(paragraphs.get(i)), where);
                    default -> {
                        continue; // %md is rendered, not run
                    }
                }
                System.out.printf(Locale.ROOT, "%s: %.1f s%n", where, (System.nanoTime() - t) / 1e9);
            }
        } finally {
            Thread.currentThread().setContextClassLoader(testLoader);
            spark.stop();
            repl.close();
        }
        System.out.printf(Locale.ROOT, "note \"%s\" ran in %.1f s%n", name, (System.nanoTime() - start) / 1e9);
    }

    private static IMain scalaRepl(Path classes, StringWriter output) {
        Settings settings = new Settings();
        // surefire sets java.class.path to the test class path, which the paragraphs compile against
        scala.Tuple2<Object, scala.collection.immutable.List<String>> parsed = settings.processArgumentString(
                "-Yrepl-class-based -usejavacp -Yrepl-outdir " + classes.toAbsolutePath());
        assertTrue((Boolean) parsed._1() && parsed._2().isEmpty(), "REPL settings: " + parsed);
        IMain repl = new IMain(settings, new PrintWriter(output, true));
        repl.initializeSynchronous();
        return repl;
    }

    /** What Zeppelin's Spark interpreter binds and imports before the first paragraph. */
    private static void bindLikeZeppelin(IMain repl, SparkSession spark, String note) {
        scala.collection.immutable.List<String> transientValue =
                JavaConverters.asScalaBuffer(List.of("@transient")).toList();
        Map<String, Object[]> bindings = Map.of(
                "spark", new Object[] {"org.apache.spark.sql.SparkSession", spark},
                "sc", new Object[] {"org.apache.spark.SparkContext", spark.sparkContext()},
                "sqlContext", new Object[] {"org.apache.spark.sql.SQLContext", spark.sqlContext()});
        bindings.forEach((name, typeAndValue) -> assertEquals(Results.Success$.MODULE$,
                repl.bind(name, (String) typeAndValue[0], typeAndValue[1], transientValue),
                note + ": binding " + name));
        for (String line : List.of("import org.apache.spark.SparkContext._", "import spark.implicits._",
                "import spark.sql", "import org.apache.spark.sql.functions._")) {
            assertEquals(Results.Success$.MODULE$, repl.interpret(line), note + ": " + line);
        }
    }

    /** As Zeppelin: the paragraph in one call; if incomplete (a trailing comment), again with a statement after it. */
    private static void runScala(IMain repl, StringWriter output, String code, String where) {
        output.getBuffer().setLength(0);
        Results.Result result = repl.interpret(code);
        if (result == Results.Incomplete$.MODULE$) {
            result = repl.interpret(code + "\nprint(\"\")");
        }
        String printed = output.toString();
        System.out.print(printed);
        if (result != Results.Success$.MODULE$) {
            // the error comes first; a Spark failure may append pages of plan and serialization trace
            fail(where + " failed (" + result + "):\n"
                    + (printed.length() > 8000 ? printed.substring(0, 8000) + "\n..." : printed));
        }
    }

    /** Runs the query as %sql does and checks that the chart saved with the paragraph can be drawn from it. */
    private static void runSql(SparkSession spark, Paragraph paragraph, JsonNode graph, String where) {
        Dataset<Row> result;
        List<Row> rows;
        try {
            result = spark.sql(paragraph.code);
            rows = result.takeAsList(MAX_RESULT + 1);
        } catch (RuntimeException e) {
            throw new AssertionError(where + " failed: " + e, e);
        }
        assertFalse(rows.isEmpty(), where + ": the query returns no row, the chart would be empty");
        assertTrue(rows.size() <= MAX_RESULT, where + ": more than " + MAX_RESULT + " rows, Zeppelin would cut the chart");
        List<String> columns = Arrays.asList(result.columns());
        for (String axis : List.of("keys", "groups", "values")) {
            for (JsonNode column : graph.path(axis)) {
                assertTrue(columns.contains(column.path("name").asText()), where + ": graph." + axis + " names "
                        + column.path("name") + ", not a column of the result " + columns);
                assertEquals(columns.indexOf(column.path("name").asText()), column.path("index").asInt(),
                        where + ": graph." + axis + " index of " + column.path("name"));
            }
        }
        System.out.println(where + ": " + rows.size() + " rows for the " + graph.path("mode").asText());
    }

    private static JsonNode graph(JsonNode paragraph) {
        return paragraph.path("config").path("results").path("0").path("graph");
    }

    private static void explicitNulls(JsonNode node, String path, List<String> found) {
        if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                explicitNulls(node.get(i), path + "[" + i + "]", found);
            }
        } else if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                String at = path + "." + field.getKey();
                if (field.getValue().isNull() && NEVER_NULL.contains(field.getKey())) {
                    found.add("explicit null at " + at + ", which Zeppelin's import cannot take");
                }
                explicitNulls(field.getValue(), at, found);
            }
        }
    }

    private static List<JsonNode> paragraphs(JsonNode note) {
        List<JsonNode> list = new ArrayList<>();
        note.path("paragraphs").forEach(list::add);
        return list;
    }

    private static JsonNode read(Path file) {
        try {
            return JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new AssertionError(file + " is not JSON: " + e.getMessage(), e);
        }
    }

    /** A paragraph's interpreter (from its %prefix; none = the note's default, spark) and its code without it. */
    private record Paragraph(String id, String interpreter, String code) {
        static Paragraph of(JsonNode p) {
            String text = p.path("text").asText("");
            String trimmed = text.stripLeading();
            if (!trimmed.startsWith("%")) {
                return new Paragraph(p.path("id").asText(), "spark", text);
            }
            int end = 0;
            while (end < trimmed.length() && !Character.isWhitespace(trimmed.charAt(end))) {
                end++;
            }
            String prefix = trimmed.substring(1, end);
            String interpreter = switch (prefix) {
                case "spark", "spark.spark" -> "spark";
                case "sql", "spark.sql" -> "sql";
                default -> prefix;
            };
            return new Paragraph(p.path("id").asText(), interpreter, trimmed.substring(end));
        }
    }
}
