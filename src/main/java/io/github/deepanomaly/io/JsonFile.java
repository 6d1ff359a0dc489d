package io.github.deepanomaly.io;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/** A small value (a record) as a JSON file through the Hadoop FileSystem API. */
public final class JsonFile {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private JsonFile() {
    }

    public static void write(FileSystem fs, Path file, Object value) throws IOException {
        try (OutputStream out = fs.create(file, false)) {
            MAPPER.writerWithDefaultPrettyPrinter().writeValue(out, value);
        }
    }

    public static <T> T read(FileSystem fs, Path file, Class<T> type) throws IOException {
        try (InputStream in = fs.open(file)) {
            return MAPPER.readValue(in, type);
        }
    }
}
