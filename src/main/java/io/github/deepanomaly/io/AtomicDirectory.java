package io.github.deepanomaly.io;

import java.io.IOException;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Writes a directory through the Hadoop FileSystem API (file://, hdfs://, ...) so that readers see
 * either the old complete directory or the new complete one: the content goes to a hidden sibling
 * first and is renamed into place only once fully written.
 */
public final class AtomicDirectory {
    private AtomicDirectory() {
    }

    /** What fills the temporary directory (given as a fully qualified path string). */
    @FunctionalInterface
    public interface Content {
        void writeTo(String directory) throws IOException;
    }

    public static void write(String path, Configuration conf, boolean overwrite, Content content) throws IOException {
        Path target = new Path(path);
        FileSystem fs = target.getFileSystem(conf);
        target = fs.makeQualified(target);
        if (!overwrite && fs.exists(target)) {
            throw new IOException("Path " + target + " already exists; choose another path or overwrite it");
        }
        Path parent = target.getParent();
        if (parent != null) {
            fs.mkdirs(parent);
        }
        String unique = UUID.randomUUID().toString();
        // Names starting with '.' are skipped by Hadoop input formats and Spark's file listings.
        Path temporary = new Path(parent, "." + target.getName() + ".tmp-" + unique);
        Path previous = new Path(parent, "." + target.getName() + ".old-" + unique);
        try {
            content.writeTo(temporary.toString());
            boolean hadPrevious = fs.exists(target);
            if (hadPrevious && !fs.rename(target, previous)) {
                throw new IOException("Could not move the existing " + target + " aside to replace it");
            }
            if (!fs.rename(temporary, target)) {
                if (hadPrevious) {
                    fs.rename(previous, target);
                }
                throw new IOException("Could not rename " + temporary + " to " + target);
            }
            if (hadPrevious) {
                fs.delete(previous, true);
            }
        } finally {
            if (fs.exists(temporary)) {
                fs.delete(temporary, true);
            }
        }
    }
}
