package io.github.deepanomaly.cli;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.apache.spark.ml.param.BooleanParam;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.FloatParam;
import org.apache.spark.ml.param.IntArrayParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.Params;

/** Applies {@code --set name=value} to a stage's Spark ML params, parsing each value by the param's type. */
public final class ParamSettings {
    /** Params the CLI sets itself from its own options; --set must not fight over them. */
    private static final List<String> MANAGED_BY_CLI = List.of("featuresCol");

    private ParamSettings() {
    }

    public static void apply(Params stage, List<String> settings) {
        for (String setting : settings) {
            int eq = setting.indexOf('=');
            if (eq <= 0) {
                throw new UsageException("--set takes name=value, got '" + setting + "'");
            }
            String name = setting.substring(0, eq).trim();
            String value = setting.substring(eq + 1).trim();
            if (!stage.hasParam(name) || MANAGED_BY_CLI.contains(name)) {
                List<String> names = Arrays.stream(stage.params()).map(Param::name)
                        .filter(n -> !MANAGED_BY_CLI.contains(n)).sorted().toList();
                throw new UsageException("Unknown param '" + name + "'; settable params: " + String.join(", ", names));
            }
            Param<Object> param = (Param<Object>) (Param<?>) stage.getParam(name);
            Object parsed = parse(param, value);
            if (!(Boolean) param.isValid().apply(parsed)) {
                throw new UsageException("Invalid value '" + value + "' for " + name + ": " + param.doc());
            }
            stage.set(param, parsed);
        }
    }

    private static Object parse(Param<?> param, String value) {
        try {
            if (param instanceof IntParam) {
                return Integer.parseInt(value);
            } else if (param instanceof LongParam) {
                return Long.parseLong(value);
            } else if (param instanceof DoubleParam) {
                return Double.parseDouble(value);
            } else if (param instanceof FloatParam) {
                return Float.parseFloat(value);
            } else if (param instanceof BooleanParam) {
                String lower = value.toLowerCase(Locale.ROOT);
                if (!lower.equals("true") && !lower.equals("false")) {
                    throw new NumberFormatException(value);
                }
                return Boolean.parseBoolean(lower);
            } else if (param instanceof IntArrayParam) {
                return value.isEmpty() ? new int[0]
                        : Arrays.stream(value.split("\\s*,\\s*")).mapToInt(Integer::parseInt).toArray();
            }
            return value;
        } catch (NumberFormatException e) {
            throw new UsageException("Invalid value '" + value + "' for " + param.name() + ": " + param.doc());
        }
    }
}
