package io.github.deepanomaly.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.deepanomaly.AnomalyEvaluator;
import io.github.deepanomaly.SparkTestSession;
import io.github.deepanomaly.bench.Contender;
import java.util.Arrays;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/**
 * The demo prints Isolation Forest's figures on its sample as constants (the forest is not a runtime
 * dependency); refitting the benchmarks' reference forest ({@link Contender#isolationForest}) here keeps them
 * honest.
 */
class DemoReferenceTest {
    /** Measured 2026-12-01: AUC-ROC 0.9789, AUC-PR 0.5197 (seeds 1-3; the shared README: 0.975, 0.501). */
    @Test
    void isolationForestFiguresPrintedByTheDemoAreWhatTheForestScoresOnItsSample() throws Exception {
        SparkSession spark = SparkTestSession.get();
        Dataset<Row> sample = DemoCommand.sample(spark);
        String[] features = Arrays.stream(sample.columns()).filter(c -> !c.equals("label")).toArray(String[]::new);
        Dataset<Row> rows = new VectorAssembler().setInputCols(features).setOutputCol(Contender.FEATURES)
                .transform(sample).cache();
        long count = rows.count();
        Contender forest = Contender.isolationForest();
        double aucRoc = 0;
        double aucPr = 0;
        int[] seeds = {1, 2, 3};
        for (int seed : seeds) {
            Dataset<Row> scored = forest.fit(rows, count, seed).transform(rows);
            AnomalyEvaluator evaluator = new AnomalyEvaluator().setLabelCol("label").setScoreCol(forest.scoreCol());
            aucRoc += evaluator.evaluate(scored) / seeds.length;
            aucPr += evaluator.setMetricName(AnomalyEvaluator.AREA_UNDER_PR).evaluate(scored) / seeds.length;
        }
        rows.unpersist();
        assertEquals(DemoCommand.IFOREST_AUC_ROC, aucRoc, 0.01, "Isolation Forest's AUC-ROC on the demo's sample");
        assertEquals(DemoCommand.IFOREST_AUC_PR, aucPr, 0.05, "Isolation Forest's AUC-PR on the demo's sample");
    }
}
