package io.github.deepanomaly;

import org.apache.spark.sql.SparkSession;

/**
 * One local[2] SparkSession for the whole test JVM: starting Spark costs seconds, and surefire runs
 * every test class in one fork, so sharing it keeps the suite fast.
 */
public final class SparkTestSession {
    private static SparkSession session;

    private SparkTestSession() {
    }

    public static synchronized SparkSession get() {
        if (session == null) {
            session = SparkSession.builder()
                    .master("local[2]")
                    .appName("spark-deep-anomaly-tests")
                    .config("spark.ui.enabled", "false")
                    .config("spark.sql.shuffle.partitions", "2")
                    .config("spark.driver.host", "127.0.0.1")
                    .config("spark.driver.bindAddress", "127.0.0.1")
                    .getOrCreate();
            session.sparkContext().setLogLevel("WARN");
        }
        return session;
    }
}
