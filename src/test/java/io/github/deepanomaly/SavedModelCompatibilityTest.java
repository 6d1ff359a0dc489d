package io.github.deepanomaly;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/** A model saved by an earlier version of the library (see the fixture's README) loads and scores as it did then. */
class SavedModelCompatibilityTest {
    static final Path FIXTURE = Path.of("src", "test", "resources", "fixtures", "autoencoder-0.1");

    @Test
    void pipelineSavedByVersion01ScoresIdentically() throws Exception {
        SparkSession spark = SparkTestSession.get();
        Dataset<Row> rows = spark.read().option("header", "true").option("inferSchema", "true")
                .csv(FIXTURE.resolve("rows.csv").toString());
        PipelineModel model = PipelineModel.load(FIXTURE.resolve("pipeline").toString());
        List<Row> scored = model.transform(rows).select("id", "anomalyScore", "prediction", "norm", "conf")
                .orderBy("id").collectAsList();
        List<String> expected = Files.readAllLines(FIXTURE.resolve("expected-scores.csv"));
        assertEquals(expected.size() - 1, scored.size());
        for (int i = 0; i < scored.size(); i++) {
            String[] e = expected.get(i + 1).split(",");
            Row r = scored.get(i);
            assertEquals(Integer.parseInt(e[0]), r.getInt(0));
            for (int c = 1; c < e.length; c++) {
                assertEquals(Double.parseDouble(e[c]), r.getDouble(c), "row " + e[0] + ", column " + c);
            }
        }
    }
}
