package io.github.deepanomaly.bench;

import io.github.deepanomaly.cli.Args;
import io.github.deepanomaly.cli.Report;
import java.util.Set;
import org.apache.spark.sql.SparkSession;

/** One benchmark: measures, prints its rows into {@code table} as it goes, and puts its figures in {@code report}. */
interface Suite {
    String name();

    /** Its options, e.g. "--rows N --dims D"; the words after "--suite NAME". */
    String usage();

    /** Options taking a value, besides --suite and --output. */
    Set<String> options();

    void run(SparkSession spark, Args args, Table table, Report report) throws Exception;
}
