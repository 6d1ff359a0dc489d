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
        if (session == null || session.sparkContext().isStopped()) {
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

    /**
     * Stops the shared session, if it runs, for a test that needs a SparkContext of its own (a JVM holds
     * one); the next {@link #get()} starts a new one.
     */
    public static synchronized void stop() {
        if (session != null) {
            session.stop();
            session = null;
        }
        if (SparkSession.getDefaultSession().isDefined()) {
            SparkSession.getDefaultSession().get().stop(); // one that the CLI's getOrCreate() started
        }
    }
}
