package io.github.deepanomaly.io;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.ml.param.Params;
import org.apache.spark.ml.util.DefaultParamsWriter$;
import org.apache.spark.ml.util.MLWriter;
import scala.Option;

/**
 * Saves a stage in Spark ML's layout ({@code metadata/part-00000} holding class, uid and params as
 * Spark's own DefaultParamsWriter writes them, so {@code Pipeline}/{@code PipelineModel.load} find the
 * stage) plus whatever data files the stage needs, all written atomically (see {@link AtomicDirectory}).
 */
public class StageWriter extends MLWriter {
    private final Params stage;

    public StageWriter(Params stage) {
        this.stage = stage;
    }

    /** Writes the stage's own files (besides its metadata) into {@code directory}; none by default. */
    protected void writeData(FileSystem fs, Path directory) throws IOException {
    }

    @Override
    public void save(String path) {
        try {
            AtomicDirectory.write(path, sc().hadoopConfiguration(), shouldOverwrite(), this::saveImpl);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not save " + stage.uid() + " to " + path + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void saveImpl(String path) {
        Path directory = new Path(path);
        try {
            FileSystem fs = directory.getFileSystem(sc().hadoopConfiguration());
            String metadata = DefaultParamsWriter$.MODULE$.getMetadataToSave(stage, sc(), Option.empty(),
                    Option.empty());
            try (OutputStream out = fs.create(new Path(directory, "metadata/part-00000"), false)) {
                out.write(metadata.getBytes(StandardCharsets.UTF_8));
                out.write('\n');
            }
            writeData(fs, directory);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
