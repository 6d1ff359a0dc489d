package io.github.deepanomaly.bench;

import io.github.deepanomaly.AutoencoderDetector;
import io.github.deepanomaly.cli.Report;
import org.apache.spark.ml.Model;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * A short untimed fit and score of both kinds of detector before the first measurement of a JVM, so
 * that no figure includes loading the native libraries, the JIT's first compilations or Spark's first
 * jobs (together tens of seconds when cold: in one run, a first fit on 2,000 rows took 4× as long as
 * the next one on 4,000).
 */
final class WarmUp {
    static final long ROWS = 2000;
    private static boolean done;

    private WarmUp() {
    }

    static synchronized void once(SparkSession spark, Report report) {
        if (done) {
            return;
        }
        long start = System.nanoTime();
        Dataset<Row> data = SyntheticTable.lowRank(spark, ROWS, 4, 1).cache();
        data.count();
        Model<?> ours = new AutoencoderDetector().setFeaturesCol(Contender.FEATURES).setMaxIter(2).fit(data);
        Measure.sumOfScores(ours.transform(data), Contender.ours("autoencoder").scoreCol());
        Contender forest = Contender.isolationForest();
        Measure.sumOfScores(forest.fit(data, ROWS).transform(data), forest.scoreCol());
        data.unpersist();
        done = true;
        report.line("warmed up in %.1f s (native libraries, JIT, first Spark jobs; not in any figure)",
                Measure.secondsSince(start));
    }
}
