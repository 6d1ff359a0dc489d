package io.github.deepanomaly;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/** The trained model depends on the rows and the seed only, not on how the input happened to be partitioned. */
class LstmPartitioningTest {

    @Test
    void twoPartitioningsOfTheSameRowsGiveIdenticalModelsAndScores() {
        SparkSession spark = SparkTestSession.get();
        List<Row> rows = new ArrayList<>(SeriesData.rows("a", 400, 300, 20, 10.0, 1.0, 1));
        rows.addAll(SeriesData.rows("b", 300, 200, 20, -500.0, 100.0, 2));
        rows.addAll(SeriesData.rows("c", 350, 100, 20, 3.0, 0.5, 3));
        Dataset<Row> inOrder = SeriesData.of(spark, rows).coalesce(1);
        List<Row> shuffledRows = new ArrayList<>(rows);
        Collections.shuffle(shuffledRows, new Random(11));
        Dataset<Row> shuffled = SeriesData.of(spark, shuffledRows).repartition(5);

        LstmDetector detector = LstmFixture.quickDetector().setMaxIter(2).setThresholdMethod("dynamic");
        LstmDetectorModel first = detector.fit(inOrder);
        LstmDetectorModel second = detector.fit(shuffled);

        assertEquals(first.seriesStats(), second.seriesStats());
        assertEquals(first.getThreshold(), second.getThreshold());
        for (String id : List.of("a", "b", "c")) {
            List<double[]> expected = LstmFixture.byTime(first.transform(inOrder), id);
            List<double[]> actual = LstmFixture.byTime(second.transform(inOrder), id);
            assertEquals(expected.size(), actual.size());
            for (int t = 0; t < expected.size(); t++) {
                assertEquals(expected.get(t)[1], actual.get(t)[1], 0.0, id + " row " + t);
            }
        }
    }
}
