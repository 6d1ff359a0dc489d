package io.github.deepanomaly.bench;

import io.github.deepanomaly.cli.Report;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A suite's result rows: each printed as soon as it is measured, aligned under a header (a long suite
 * shows progress), and, with {@code --output}, appended to a CSV file at once, so the rows measured
 * before a failure are kept.
 */
final class Table implements AutoCloseable {
    /** A column: its name (also the CSV header) and how a value is printed, e.g. "%.4f". */
    record Column(String name, String format) {
        static Column text(String name) {
            return new Column(name, "%s");
        }
    }

    /** Wide enough for the names of the data sets, detectors and paths the suites print. */
    private static final int MIN_WIDTH = 12;

    private final Report report;
    private final Path csv;
    private BufferedWriter writer;
    private List<Column> columns = List.of();
    private int[] widths = new int[0];

    /** @param csv where to write the rows too; null for none */
    Table(Report report, Path csv) {
        this.report = report;
        this.csv = csv;
    }

    /** Declares the columns and prints the header; call once, before the first row. */
    void columns(Column... declared) {
        columns = List.of(declared);
        widths = new int[declared.length];
        List<String> names = new ArrayList<>();
        for (int i = 0; i < declared.length; i++) {
            widths[i] = Math.max(declared[i].name().length(), MIN_WIDTH);
            names.add(declared[i].name());
        }
        print(names);
        if (csv != null) {
            try {
                Path parent = csv.toAbsolutePath().getParent();
                if (parent != null) {
                    Files.createDirectories(parent);
                }
                writer = Files.newBufferedWriter(csv);
                writeCsv(names);
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot write " + csv, e);
            }
        }
    }

    /** One row, values in column order; null prints as "-" and stays empty in the CSV. */
    void row(Object... values) {
        if (values.length != columns.size()) {
            throw new IllegalArgumentException(values.length + " values for " + columns.size() + " columns");
        }
        List<String> shown = new ArrayList<>();
        List<String> raw = new ArrayList<>();
        for (int i = 0; i < values.length; i++) {
            Object v = values[i];
            boolean missing = v == null || (v instanceof Double d && !Double.isFinite(d));
            shown.add(missing ? "-" : String.format(Locale.ROOT, columns.get(i).format(), v));
            raw.add(v == null ? "" : String.valueOf(v));
        }
        print(shown);
        if (writer != null) {
            writeCsv(raw);
        }
    }

    private void print(List<String> cells) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < cells.size(); i++) {
            String cell = cells.get(i);
            boolean text = columns.get(i).format().equals("%s");
            String pad = " ".repeat(Math.max(0, widths[i] - cell.length()));
            line.append(i == 0 ? "" : "  ").append(text ? cell + pad : pad + cell);
        }
        report.line("%s", line.toString().stripTrailing());
    }

    private void writeCsv(List<String> cells) {
        try {
            writer.write(String.join(",", cells.stream().map(Table::csvCell).toList()));
            writer.newLine();
            writer.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + csv, e);
        }
    }

    private static String csvCell(String value) {
        return value.contains(",") || value.contains("\"") || value.contains("\n")
                ? "\"" + value.replace("\"", "\"\"") + "\"" : value;
    }

    @Override
    public void close() {
        if (writer != null) {
            try {
                writer.close();
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot write " + csv, e);
            }
        }
    }
}
