package io.github.deepanomaly.io;

import java.io.IOException;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Optional;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a directory through the Hadoop FileSystem API (file://, hdfs://, ...) so that readers see
 * either the old complete directory or the new complete one: the content goes to a hidden sibling
 * first and is renamed into place only once fully written.
 *
 * <p>Replacing takes two renames (no file system renames onto a non-empty directory): the old directory
 * moves aside to {@code .NAME.old-ID}, then the new one moves in. A writer that dies between the two
 * leaves no {@code NAME}, only that sibling; {@link #readable} and the next {@link #write} take the
 * sibling for the directory at {@code NAME}, so the old content stays what the path holds.
 */
public final class AtomicDirectory {
    private static final Logger LOG = LoggerFactory.getLogger(AtomicDirectory.class);
    private static final String PREVIOUS_MARK = ".old-";

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
        Optional<Path> current = current(fs, target);
        if (!overwrite && current.isPresent()) {
            throw new IOException("Path " + target + " already exists; choose another path or overwrite it");
        }
        Path parent = target.getParent();
        if (parent != null) {
            fs.mkdirs(parent);
        }
        String unique = UUID.randomUUID().toString();
        // Names starting with '.' are skipped by Hadoop input formats and Spark's file listings.
        Path temporary = new Path(parent, "." + target.getName() + ".tmp-" + unique);
        Path previous = new Path(parent, "." + target.getName() + PREVIOUS_MARK + unique);
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
            // ours, and any an interrupted replace left behind: all older than what is in place now
            for (FileStatus superseded : previousSiblings(fs, target)) {
                fs.delete(superseded.getPath(), true);
            }
        } finally {
            if (fs.exists(temporary)) {
                fs.delete(temporary, true);
            }
        }
    }

    /**
     * The directory that holds what was last written to {@code path}: {@code path} itself or, where a
     * replace was interrupted between its two renames, the previous directory it had moved aside.
     */
    public static String readable(String path, Configuration conf) throws IOException {
        Path target = new Path(path);
        FileSystem fs = target.getFileSystem(conf);
        Optional<Path> current = current(fs, fs.makeQualified(target));
        if (current.isPresent() && !current.get().getName().equals(target.getName())) {
            LOG.warn("{} is missing: a save over it was interrupted; reading the previous content from {}", path,
                    current.get());
            return current.get().toString();
        }
        return path;
    }

    private static Optional<Path> current(FileSystem fs, Path target) throws IOException {
        if (fs.exists(target)) {
            return Optional.of(target);
        }
        return Arrays.stream(previousSiblings(fs, target))
                .max(Comparator.comparingLong(FileStatus::getModificationTime))
                .map(FileStatus::getPath);
    }

    private static FileStatus[] previousSiblings(FileSystem fs, Path target) throws IOException {
        Path parent = target.getParent();
        if (parent == null || !fs.exists(parent)) {
            return new FileStatus[0];
        }
        String prefix = "." + target.getName() + PREVIOUS_MARK;
        return fs.listStatus(parent, p -> p.getName().startsWith(prefix));
    }
}
