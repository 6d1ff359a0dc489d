package io.github.deepanomaly.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.ml.param.Params;
import org.apache.spark.ml.util.DefaultParamsReader$;
import org.apache.spark.ml.util.DefaultParamsReader.Metadata;
import org.apache.spark.ml.util.MLReader;
import scala.Option;

/**
 * Loads a stage saved by {@link StageWriter}: checks that the directory holds the expected class,
 * creates the stage from its uid and data files, and sets the saved params on it.
 *
 * @param <T> the stage class
 */
public class StageReader<T extends Params> extends MLReader<T> {

    /** Builds the stage from its uid and the data files in its directory. */
    @FunctionalInterface
    public interface Factory<T> {
        T create(String uid, FileSystem fs, Path directory) throws IOException;
    }

    private final Class<T> stageClass;
    private final Factory<T> factory;

    public StageReader(Class<T> stageClass, Factory<T> factory) {
        this.stageClass = stageClass;
        this.factory = factory;
    }

    @Override
    public T load(String path) {
        try {
            // the path itself, or what an interrupted save over it left in place (see AtomicDirectory)
            String readable = AtomicDirectory.readable(path, sc().hadoopConfiguration());
            Path directory = new Path(readable);
            FileSystem fs = directory.getFileSystem(sc().hadoopConfiguration());
            if (!fs.exists(new Path(directory, "metadata"))) {
                throw new IllegalArgumentException("No saved " + stageClass.getSimpleName() + " at " + path
                        + " (no metadata directory); give the directory a model or stage was saved to");
            }
            Metadata metadata = DefaultParamsReader$.MODULE$.loadMetadata(readable, sc(), stageClass.getName());
            T stage = factory.create(metadata.uid(), fs, directory);
            metadata.getAndSetParams(stage, Option.empty());
            return stage;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not load " + stageClass.getSimpleName() + " from " + path + ": "
                    + e.getMessage(), e);
        }
    }
}
