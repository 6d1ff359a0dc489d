package io.github.deepanomaly.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.deepanomaly.SparkTestSession;
import io.github.deepanomaly.cli.CliTest.Run;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** train, score and evaluate on folders of PNG files: 60 MNIST ones (normal) and 30 zeros. */
class ImageCliTest {
    static final Path MNIST = Path.of("src/test/resources/images/mnist").toAbsolutePath();
    @TempDir
    static Path dir;
    private static Path model;

    @BeforeAll
    static void train() throws Exception {
        SparkTestSession.get();
        model = dir.resolve("model");
        Run run = CliTest.cli("train", "--input", MNIST.resolve("1").toString(), "--input-format", "image",
                "--model", model.toString(), "--set", "filters=8,4", "--set", "latentSize=16", "--set", "maxIter=8",
                "--set", "batchSize=16", "--set", "stepSize=0.003");
        assertEquals(0, run.code(), run.err());
        JsonNode json = run.json();
        assertEquals(60, json.get("rows").asLong());
        assertEquals(28, json.get("imageHeight").asInt());
        assertEquals(1, json.get("imageChannels").asInt());
        assertTrue(run.out().contains("images of 28x28 grey"), run.out());
    }

    @Test
    void evaluateTakesTheLabelFromTheParentFolder() throws Exception {
        Run run = CliTest.cli("evaluate", "--model", model.toString(), "--input", MNIST.toString(), "--input-format",
                "image", "--label-from-parent", "--normal-label", "1");
        assertEquals(0, run.code(), run.err());
        assertEquals(90, run.json().get("rows").asLong());
        assertEquals(30, run.json().get("labelledAnomalies").asLong());
        assertTrue(run.json().get("aucRoc").asDouble() > 0.95, run.out());

        Run wrong = CliTest.cli("evaluate", "--model", model.toString(), "--input", MNIST.toString(), "--input-format",
                "image", "--label-from-parent", "--normal-label", "7");
        assertEquals(2, wrong.code());
        assertEquals("error: No folder named '7' holds images; --normal-label takes one of the parent folders: 0, 1",
                wrong.err().strip());
    }

    @Test
    void scoreWritesOriginsAndScoresAndTheTopHeatmapsAsPictures() throws Exception {
        Path output = dir.resolve("scores");
        Path heatmaps = dir.resolve("heatmaps");
        Run run = CliTest.cli("score", "--model", model.toString(), "--input", MNIST.toString(), "--input-format",
                "image", "--output", output.toString(), "--heatmaps", heatmaps.toString(), "--top", "3");
        assertEquals(0, run.code(), run.err());
        List<Row> rows = SparkTestSession.get().read().parquet(output.toString())
                .orderBy(org.apache.spark.sql.functions.desc("anomalyScore")).collectAsList();
        assertEquals(90, rows.size());
        assertEquals(List.of("origin", "anomalyScore", "prediction", "heatmap"),
                List.of(rows.get(0).schema().fieldNames()));
        List<Path> pictures;
        try (Stream<Path> files = Files.list(heatmaps)) {
            pictures = files.sorted().toList();
        }
        assertEquals(3, pictures.size());
        String top = rows.get(0).getString(0);
        String topFile = top.substring(top.lastIndexOf('/') + 1).replace(".png", "");
        assertTrue(pictures.get(0).getFileName().toString().startsWith("01-score-")
                && pictures.get(0).getFileName().toString().endsWith(topFile + ".png"), pictures.toString());
        BufferedImage picture = ImageIO.read(pictures.get(0).toFile());
        // 28 pixels enlarged 4 times, twice, and the gap between
        assertEquals(2 * 28 * 4 + HeatmapImages.GAP, picture.getWidth());
        assertEquals(28 * 4, picture.getHeight());
        assertEquals(3, run.json().get("heatmapFiles").size());

        Run again = CliTest.cli("score", "--model", model.toString(), "--input", MNIST.toString(), "--input-format",
                "image", "--output", dir.resolve("scores2").toString(), "--heatmaps", heatmaps.toString());
        assertEquals(2, again.code());
        assertTrue(again.err().contains("Heatmap directory " + heatmaps + " already exists"), again.err());
        assertFalse(Files.exists(dir.resolve("scores2")));
    }

    @Test
    void badImageInputEndsInOneLine(@TempDir Path bad) throws Exception {
        Path empty = Files.createDirectories(bad.resolve("empty"));
        Run none = CliTest.cli("train", "--input", empty.toString(), "--input-format", "image", "--model",
                bad.resolve("m1").toString());
        assertEquals(2, none.code());
        assertTrue(none.err().strip().startsWith("error: Input " + empty + " has no files"), none.err());

        Path text = Files.createDirectories(bad.resolve("text"));
        Files.writeString(text.resolve("readme.txt"), "no image here");
        Files.copy(MNIST.resolve("1/t10k-00002.png"), text.resolve("t10k-00002.png"));
        Run notImage = CliTest.cli("train", "--input", text.toString(), "--input-format", "image", "--model",
                bad.resolve("m2").toString(), "--set", "maxIter=1");
        assertEquals(2, notImage.code());
        assertEquals(1, notImage.err().strip().lines().count(), notImage.err());
        assertTrue(notImage.err().contains("1 not a decodable image, e.g. " + text.resolve("readme.txt").toUri()),
                notImage.err());

        Path colour = Files.createDirectories(bad.resolve("colour"));
        ImageIO.write(new BufferedImage(28, 28, BufferedImage.TYPE_INT_RGB), "png", colour.resolve("c.png").toFile());
        Run wrongKind = CliTest.cli("score", "--model", model.toString(), "--input", colour.toString(),
                "--input-format", "image", "--output", bad.resolve("out").toString());
        assertEquals(2, wrongKind.code());
        assertTrue(wrongKind.err().strip().startsWith("error: Column 'image' has an image the model cannot score"
                + " (28x28 colour instead of 28x28 grey"), wrongKind.err());
        assertFalse(Files.exists(bad.resolve("out")));

        Run dense = CliTest.cli("train", "--input", MNIST.toString(), "--input-format", "image", "--detector",
                "autoencoder", "--model", bad.resolve("m3").toString());
        assertEquals(2, dense.code());
        assertEquals("error: --detector autoencoder takes a table's numeric columns; for images use --detector"
                + " conv-autoencoder", dense.err().strip());
    }
}
