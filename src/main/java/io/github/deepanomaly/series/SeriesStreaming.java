package io.github.deepanomaly.series;

import io.github.deepanomaly.score.FeatureExplanation;
import io.github.deepanomaly.score.NetworkBytes;
import io.github.deepanomaly.train.NativeThreads;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.FlatMapGroupsWithStateFunction;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.streaming.GroupState;
import org.apache.spark.sql.streaming.GroupStateTimeout;
import org.apache.spark.sql.streaming.OutputMode;
import org.apache.spark.sql.types.StructType;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/**
 * Scoring of a streaming keyed table: rows grouped by series, each series' {@link ForecastState} (last
 * window, smoothed errors) kept by Structured Streaming between micro-batches. Within a micro-batch a
 * series' rows are put in time order (ties by values, as the batch transform orders them); across
 * micro-batches they are taken in arrival order, so they must arrive in time order.
 */
public final class SeriesStreaming {
    private SeriesStreaming() {
    }

    public static Dataset<Row> score(Dataset<Row> keyed, Broadcast<byte[]> networkBytes, ForecastScorer scorer,
            FeatureExplanation explanation, StructType outputSchema) {
        int seriesIndex = keyed.schema().fieldIndex(SeriesColumns.SERIES);
        return keyed.groupByKey((MapFunction<Row, String>) r -> r.getString(seriesIndex), Encoders.STRING())
                .flatMapGroupsWithState(new ScoreGroup(networkBytes, scorer, keyed.schema(), explanation),
                        OutputMode.Append(), Encoders.javaSerialization(ForecastState.class),
                        Encoders.row(outputSchema), GroupStateTimeout.NoTimeout());
    }

    private static final class ScoreGroup implements FlatMapGroupsWithStateFunction<String, Row, ForecastState, Row> {
        private final Broadcast<byte[]> networkBytes;
        private final ForecastScorer scorer;
        private final int timeIndex;
        private final int valuesIndex;
        private final FeatureExplanation explanation;
        /** One network per task: the function is deserialized once per task. */
        private transient MultiLayerNetwork network;

        ScoreGroup(Broadcast<byte[]> networkBytes, ForecastScorer scorer, StructType keyedSchema,
                FeatureExplanation explanation) {
            this.networkBytes = networkBytes;
            this.scorer = scorer;
            this.timeIndex = keyedSchema.fieldIndex(SeriesColumns.TIME);
            this.valuesIndex = keyedSchema.fieldIndex(SeriesColumns.VALUES);
            this.explanation = explanation;
        }

        @Override
        public Iterator<Row> call(String series, Iterator<Row> rows, GroupState<ForecastState> state) {
            if (network == null) {
                NativeThreads.matchTaskCpus();
                network = NetworkBytes.fromBytes(networkBytes.value());
            }
            List<Row> ordered = new ArrayList<>();
            rows.forEachRemaining(ordered::add);
            ordered.sort(Comparator.<Row, Double>comparing(r -> r.isNullAt(timeIndex) ? null : r.getDouble(timeIndex),
                    Comparator.nullsFirst(Comparator.naturalOrder())).thenComparing(this::compareValues));
            ForecastState current = state.exists() ? state.get() : scorer.newState();
            List<ForecastScorer.Step> steps = new ArrayList<>(ordered.size());
            for (Row r : ordered) {
                steps.add(scorer.step(current, series, r, valuesIndex));
            }
            scorer.score(steps, network);
            state.update(current);
            List<Row> out = new ArrayList<>(ordered.size());
            for (int i = 0; i < ordered.size(); i++) {
                Row r = ordered.get(i);
                ForecastScorer.Step step = steps.get(i);
                Object[] values = new Object[r.length() + (explanation == null ? 1 : 2)];
                for (int c = 0; c < r.length(); c++) {
                    values[c] = r.get(c);
                }
                values[r.length()] = step.score;
                if (explanation != null) {
                    values[r.length() + 1] = step.score == null ? null : ForecastScorer.explain(explanation, step);
                }
                out.add(RowFactory.create(values));
            }
            return out.iterator();
        }

        /** Spark's ordering of the values arrays: nulls first, then element by element, shorter first. */
        private int compareValues(Row a, Row b) {
            if (a.isNullAt(valuesIndex) || b.isNullAt(valuesIndex)) {
                return Boolean.compare(!a.isNullAt(valuesIndex), !b.isNullAt(valuesIndex));
            }
            List<Double> x = a.getList(valuesIndex);
            List<Double> y = b.getList(valuesIndex);
            for (int i = 0; i < Math.min(x.size(), y.size()); i++) {
                Double p = x.get(i);
                Double q = y.get(i);
                int c = p == null || q == null ? Boolean.compare(p != null, q != null) : p.compareTo(q);
                if (c != 0) {
                    return c;
                }
            }
            return Integer.compare(x.size(), y.size());
        }
    }
}
