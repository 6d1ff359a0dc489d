package io.github.deepanomaly.cli;

import java.util.List;
import org.apache.spark.sql.SparkSession;

/** One sub-command of {@code deep-anomaly}. */
public interface Command {
    String name();

    /** One usage line, e.g. "score --model DIR --input PATH --output DIR [--format parquet|csv]". */
    String usage();

    /** What it does, in one sentence. */
    String summary();

    void run(SparkSession spark, List<String> words, Report report) throws Exception;
}
