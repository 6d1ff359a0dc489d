package io.github.deepanomaly.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.deepanomaly.SparkTestSession;
import io.github.deepanomaly.cli.ModelStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.Transformer;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicDirectoryTest {
    private static final Configuration CONF = new Configuration();

    @TempDir
    Path dir;

    private static void writeText(String path, boolean overwrite, String text) throws IOException {
        AtomicDirectory.write(path, CONF, overwrite, directory -> {
            Path d = Path.of(java.net.URI.create(directory));
            Files.createDirectories(d);
            Files.writeString(d.resolve("content"), text);
        });
    }

    private static String read(String directory) throws IOException {
        return Files.readString(Path.of(directory).resolve("content"), StandardCharsets.UTF_8);
    }

    private List<String> names() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    /** What a writer that died between its two renames leaves: no NAME, the old content aside. */
    private Path interruptReplace(Path target) throws IOException {
        return Files.move(target, dir.resolve("." + target.getFileName() + ".old-0b1e1d2a"));
    }

    @Test
    void replacesWholeAndLeavesNoSiblings() throws IOException {
        Path target = dir.resolve("model");
        writeText(target.toString(), false, "v1");
        writeText(target.toString(), true, "v2");
        assertEquals("v2", read(target.toString()));
        assertEquals(List.of("model"), names());
        assertThrows(IOException.class, () -> writeText(target.toString(), false, "v3"));
    }

    @Test
    void failedContentKeepsTheOldDirectory() throws IOException {
        Path target = dir.resolve("model");
        writeText(target.toString(), false, "v1");
        assertThrows(IOException.class, () -> AtomicDirectory.write(target.toString(), CONF, true, directory -> {
            Files.createDirectories(Path.of(java.net.URI.create(directory)));
            throw new IOException("disk full");
        }));
        assertEquals("v1", read(target.toString()));
        assertEquals(List.of("model"), names());
    }

    @Test
    void aReplaceInterruptedBetweenItsRenamesLeavesTheOldContentReadable() throws IOException {
        Path target = dir.resolve("model");
        writeText(target.toString(), false, "v1");
        Path aside = interruptReplace(target);

        String readable = AtomicDirectory.readable(target.toString(), CONF);
        assertEquals(aside.toUri(), Path.of(java.net.URI.create(readable)).toUri());
        assertEquals("v1", Files.readString(Path.of(java.net.URI.create(readable)).resolve("content")));
        // still what the path holds: not silently replaced without overwrite
        assertThrows(IOException.class, () -> writeText(target.toString(), false, "v2"));

        writeText(target.toString(), true, "v2");
        assertEquals("v2", read(target.toString()));
        assertEquals(List.of("model"), names(), "the superseded leftover is removed");
        assertEquals(target.toString(), AtomicDirectory.readable(target.toString(), CONF));
    }

    @Test
    void modelStoreLoadsTheModelAnInterruptedSaveLeftAside() throws IOException {
        SparkSession spark = SparkTestSession.get();
        VectorAssembler assembler = new VectorAssembler().setInputCols(new String[] {"a", "b"}).setOutputCol("v");
        PipelineModel model = new PipelineModel("pipeline-under-test", new Transformer[] {assembler});
        Path target = dir.resolve("model");
        ModelStore.save(spark, model, target.toString(), false);
        interruptReplace(target);

        PipelineModel loaded = ModelStore.load(spark, target.toString());
        assertArrayEquals(new String[] {"a", "b"}, ModelStore.assembler(loaded).getInputCols());
        assertTrue(assertThrows(RuntimeException.class, () -> ModelStore.save(spark, model, target.toString(), false))
                .getMessage().contains("already exists"));
    }
}
