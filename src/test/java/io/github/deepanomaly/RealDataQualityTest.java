package io.github.deepanomaly;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.nio.file.Path;
import java.util.Arrays;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Default params on real labelled data (two small ADBench sets, copied into the test resources with their
 * source and licence: io/github/deepanomaly/data/SOURCE.md, so that a clone alone passes its tests), fit
 * and scored on all rows. The floors sit about 0.01 under what the defaults of session 9 (the trim, the
 * median scaling and the input noise) measure on local[2] at the default seed (breastw 0.977, cardio 0.925; the
 * first defaults scored 0.962 and 0.915), so a change that makes the defaults clearly worse fails here (the
 * gain of one default, the noise say, is the quality suite's to measure: without it both still pass).
 */
class RealDataQualityTest {
    private static final String DATA = "/io/github/deepanomaly/data/";

    @ParameterizedTest(name = "{0}: AUC-ROC >= {1}")
    @CsvSource({"breastw, 0.965", "cardio, 0.915"})
    void defaultParamsReachTheMeasuredFloor(String name, double floor) throws Exception {
        URL resource = RealDataQualityTest.class.getResource(DATA + name + ".csv");
        assertNotNull(resource, "missing test resource " + DATA + name + ".csv");
        assertDefaultsReach(Path.of(resource.toURI()), name, floor);
    }

    /**
     * Tables built from UCI sets that no default was chosen on (src/bench/data/tabular-unseen, README there),
     * where the autoencoder leads Isolation Forest (wine: 0.932 against 0.792 over nine seeds, all rows) or
     * trails it a little (wdbc: 0.913 against 0.935). Floors about 0.01 under the default seed's figure on
     * local[2] (wine 0.918, wdbc 0.921), so that a default tuned harder on the shared sets at the cost of other
     * data fails here.
     */
    @ParameterizedTest(name = "{0} (unseen): AUC-ROC >= {1}")
    @CsvSource({"wine, 0.905", "wdbc, 0.91"})
    void defaultParamsCarryToTablesNoDefaultWasChosenOn(String name, double floor) throws Exception {
        Path csv = Path.of("src/bench/data/tabular-unseen", name + ".csv");
        assertTrue(csv.toFile().isFile(), "missing " + csv.toAbsolutePath() + " (make_tables.py builds it)");
        assertDefaultsReach(csv, name, floor);
    }

    private static void assertDefaultsReach(Path csv, String name, double floor) {
        SparkSession spark = SparkTestSession.get();
        Dataset<Row> table = spark.read().option("header", "true").option("inferSchema", "true").csv(csv.toString());
        String[] features = Arrays.stream(table.columns()).filter(c -> !c.equals("label")).toArray(String[]::new);
        Dataset<Row> data = new VectorAssembler().setInputCols(features).setOutputCol("features").transform(table)
                .cache();
        double auc = new AnomalyEvaluator().evaluate(new AutoencoderDetector().fit(data).transform(data));
        assertTrue(auc >= floor, name + " AUC-ROC " + auc + " < " + floor);
        data.unpersist();
    }
}
