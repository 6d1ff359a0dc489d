package io.github.deepanomaly.core;

import java.util.List;
import java.util.stream.Collectors;
import org.apache.spark.ml.attribute.AttributeGroup;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.StructField;

/**
 * The usable training rows of a DataFrame and the feature dimension, after the {@code handleInvalid}
 * policy: 'error' fails with a count of every kind of problem, 'skip' and 'keep' train on the usable
 * rows only (keep matters at scoring time, where unusable rows get a null score).
 */
public record TrainingRows(Dataset<Row> rows, int numFeatures) {

    public static TrainingRows select(Dataset<?> dataset, String featuresCol, String handleInvalid) {
        StructField field = SchemaChecks.requireVectorColumn(dataset.schema(), featuresCol);
        Dataset<Row> features = dataset.select(featuresCol);
        int numFeatures = featureCount(field, features, featuresCol);
        FeatureCheck check = new FeatureCheck(numFeatures);
        if (DetectorParamSet.HANDLE_ERROR.equals(handleInvalid)) {
            failOnUnusableRows(features, featuresCol, check);
        }
        return new TrainingRows(features.where(check.isValid(featuresCol)), numFeatures);
    }

    /** From the column's ML attributes (VectorAssembler sets them) or, lacking those, the first non-null row. */
    private static int featureCount(StructField field, Dataset<Row> features, String featuresCol) {
        int fromMetadata = AttributeGroup.fromStructField(field).size();
        if (fromMetadata > 0) {
            return fromMetadata;
        }
        List<Row> first = features.where(functions.col(featuresCol).isNotNull()).takeAsList(1);
        if (first.isEmpty()) {
            throw new IllegalArgumentException("Cannot train on column '" + featuresCol
                    + "': the input has no rows with a non-null feature vector");
        }
        return ((Vector) first.get(0).get(0)).size();
    }

    private static void failOnUnusableRows(Dataset<Row> features, String featuresCol, FeatureCheck check) {
        List<Row> problems = features
                .select(check.problemOf(featuresCol).as("problem"))
                .where(functions.col("problem").isNotNull())
                .groupBy("problem").count()
                .collectAsList();
        if (problems.isEmpty()) {
            return;
        }
        long total = problems.stream().mapToLong(r -> r.getLong(1)).sum();
        String detail = problems.stream().map(r -> r.getLong(1) + " " + r.getString(0))
                .sorted().collect(Collectors.joining(", "));
        throw new IllegalArgumentException("Column '" + featuresCol + "' has " + total + " unusable row"
                + (total == 1 ? "" : "s") + " (" + detail + "); fix the data or set handleInvalid to 'skip'"
                + " (drop them) or 'keep' (score them null)");
    }
}
