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
            session = localBuilder("spark-deep-anomaly-tests").getOrCreate();
            session.sparkContext().setLogLevel("WARN");
        }
        return session;
    }

    /** The tests' local[2] settings, for a test that needs a session of its own. */
    public static SparkSession.Builder localBuilder(String appName) {
        return SparkSession.builder()
                .master("local[2]")
                .appName(appName)
                .config("spark.ui.enabled", "false")
                .config("spark.sql.shuffle.partitions", "2")
                .config("spark.driver.host", "127.0.0.1")
                .config("spark.driver.bindAddress", "127.0.0.1");
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
