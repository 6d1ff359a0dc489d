package io.github.deepanomaly.cli;

import io.github.deepanomaly.io.AtomicDirectory;
import java.io.IOException;
import java.util.Arrays;
import org.apache.hadoop.fs.Path;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.Transformer;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;

/**
 * The CLI's models: a PipelineModel of a VectorAssembler (the named numeric columns) and a detector
 * model, or of an image detector alone (reading the image column), saved atomically so an interrupted save never destroys the model already at that path.
 */
public final class ModelStore {
    private ModelStore() {
    }

    public static void save(SparkSession spark, PipelineModel model, String path, boolean overwrite)
            throws IOException {
        requireSavable(spark, path, overwrite);
        AtomicDirectory.write(path, spark.sparkContext().hadoopConfiguration(), true,
                directory -> model.write().save(directory));
    }

    /**
     * Fails when a model is already at {@code path} and {@code overwrite} is off: called before training too,
     * so that a fit of minutes is not thrown away at the save.
     */
    public static void requireSavable(SparkSession spark, String path, boolean overwrite) {
        if (!overwrite && exists(spark, readable(spark, path))) {
            throw new UsageException("Model directory " + path + " already exists; pass --overwrite to replace it");
        }
    }

    public static PipelineModel load(SparkSession spark, String path) {
        String directory = readable(spark, path);
        if (!exists(spark, directory + "/metadata")) {
            throw new UsageException("No model at " + path + "; train one with 'deep-anomaly train --model " + path + " ...'");
        }
        return PipelineModel.load(directory);
    }

    /** The path, or the model an interrupted save over it left in place (see {@link AtomicDirectory}). */
    private static String readable(SparkSession spark, String path) {
        try {
            return AtomicDirectory.readable(path, spark.sparkContext().hadoopConfiguration());
        } catch (IOException e) {
            throw new UsageException("Cannot access " + path + ": " + e.getMessage());
        }
    }

    /** The assembler stage, which knows the input columns the model needs. */
    public static VectorAssembler assembler(PipelineModel model) {
        return Arrays.stream(model.stages()).filter(VectorAssembler.class::isInstance)
                .map(VectorAssembler.class::cast).findFirst()
                .orElseThrow(() -> new UsageException("This model was not written by deep-anomaly train (no VectorAssembler stage)"));
    }

    public static Transformer detector(PipelineModel model) {
        return model.stages()[model.stages().length - 1];
    }

    /** Whether the model reads images: an image detector with no VectorAssembler before it. */
    public static boolean readsImages(PipelineModel model) {
        return Detectors.readsImages(detector(model))
                && Arrays.stream(model.stages()).noneMatch(VectorAssembler.class::isInstance);
    }

    /** Fails with the missing or non-numeric column named, before Spark fails with a less clear message. */
    public static void requireFeatureColumns(PipelineModel model, Dataset<Row> data) {
        StructType schema = data.schema();
        if (readsImages(model)) {
            String column = ((io.github.deepanomaly.core.DetectorParams<?>) detector(model)).getFeaturesCol();
            if (!Arrays.asList(schema.fieldNames()).contains(column)) {
                throw new UsageException("This model scores images and the input has no column '" + column + "'; read"
                        + " a folder of images with --input-format image");
            }
            return;
        }
        String[] needed = assembler(model).getInputCols();
        for (String column : needed) {
            if (!Arrays.asList(schema.fieldNames()).contains(column)) {
                throw new UsageException("The input lacks column '" + column + "', which the model was trained on;"
                        + " columns: " + String.join(", ", schema.fieldNames()));
            }
        }
        for (String column : needed) {
            if (!DataLoader.isNumeric(schema.apply(column).dataType())) {
                throw new UsageException("Feature column '" + column + "' is " + schema.apply(column).dataType().simpleString()
                        + " in this input, but the model needs it numeric");
            }
        }
    }

    /** Scores {@code data} and drops the assembled vector, leaving the input's columns plus the detector's. */
    public static Dataset<Row> score(PipelineModel model, Dataset<Row> data) {
        if (!hasAssembler(model)) {
            return model.transform(data); // a series detector reads its columns itself and names what is missing
        }
        requireFeatureColumns(model, data);
        Dataset<Row> scored = model.transform(data);
        return readsImages(model) ? scored : scored.drop(assembler(model).getOutputCol());
    }

    /** Whether the model assembles a feature vector (tabular detectors) or reads its columns itself (series). */
    static boolean hasAssembler(PipelineModel model) {
        return Arrays.stream(model.stages()).anyMatch(VectorAssembler.class::isInstance);
    }

    static boolean exists(SparkSession spark, String path) {
        try {
            Path p = new Path(path);
            return p.getFileSystem(spark.sparkContext().hadoopConfiguration()).exists(p);
        } catch (IOException e) {
            throw new UsageException("Cannot access " + path + ": " + e.getMessage());
        }
    }
}
