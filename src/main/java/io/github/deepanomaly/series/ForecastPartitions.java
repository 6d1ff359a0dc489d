package io.github.deepanomaly.series;

import io.github.deepanomaly.score.FeatureExplanation;
import io.github.deepanomaly.score.NetworkBytes;
import io.github.deepanomaly.train.NativeThreads;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/**
 * Batch scoring of a keyed table partitioned by series and sorted by (series, time): each input row comes
 * out with its score (and explanation) appended, scored a chunk of rows per network call.
 */
public final class ForecastPartitions implements MapPartitionsFunction<Row, Row> {
    /** Rows per network call: large enough to amortize the call, small enough to stay in cache. */
    static final int CHUNK = 512;

    private final Broadcast<byte[]> networkBytes;
    private final ForecastScorer scorer;
    private final int seriesIndex;
    private final int valuesIndex;
    private final FeatureExplanation explanation;
    private final boolean withSeasonal;

    /**
     * With {@code withSeasonal}, each row also gets its mean smoothed seasonal error after its score (the
     * calibration pass, which needs the forecast and seasonal errors apart; see {@link #SEASONAL}).
     */
    public ForecastPartitions(Broadcast<byte[]> networkBytes, ForecastScorer scorer, StructType keyedSchema,
            FeatureExplanation explanation, boolean withSeasonal) {
        this.withSeasonal = withSeasonal;
        this.networkBytes = networkBytes;
        this.scorer = scorer;
        this.seriesIndex = keyedSchema.fieldIndex(SeriesColumns.SERIES);
        this.valuesIndex = keyedSchema.fieldIndex(SeriesColumns.VALUES);
        this.explanation = explanation;
    }

    /** The column of the seasonal error in the calibration pass. */
    public static final String SEASONAL = "__seasonal_error";

    /** The keyed schema plus the score, the seasonal error and, with an explanation, its column. */
    public static StructType outputSchema(StructType keyedSchema, String scoreCol, String explanationCol,
            boolean withSeasonal) {
        StructType out = keyedSchema.add(scoreCol, DataTypes.DoubleType, true);
        if (withSeasonal) {
            out = out.add(SEASONAL, DataTypes.DoubleType, true);
        }
        return explanationCol.isEmpty() ? out : out.add(explanationCol, FeatureExplanation.TYPE, true);
    }

    @Override
    public Iterator<Row> call(Iterator<Row> rows) {
        if (!rows.hasNext()) {
            return rows;
        }
        NativeThreads.matchTaskCpus();
        MultiLayerNetwork network = NetworkBytes.fromBytes(networkBytes.value());
        return new Iterator<>() {
            private final List<Row> chunk = new ArrayList<>(CHUNK);
            private final List<ForecastScorer.Step> steps = new ArrayList<>(CHUNK);
            private String series;
            private ForecastState state;
            private int next;

            @Override
            public boolean hasNext() {
                if (next < chunk.size()) {
                    return true;
                }
                chunk.clear();
                steps.clear();
                next = 0;
                while (chunk.size() < CHUNK && rows.hasNext()) {
                    Row row = rows.next();
                    String s = row.getString(seriesIndex);
                    if (state == null || !s.equals(series)) {
                        series = s;
                        state = scorer.newState();
                    }
                    chunk.add(row);
                    steps.add(scorer.step(state, s, row, valuesIndex));
                }
                scorer.score(steps, network);
                return !chunk.isEmpty();
            }

            @Override
            public Row next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                Row row = chunk.get(next);
                ForecastScorer.Step step = steps.get(next);
                next++;
                return append(row, step);
            }
        };
    }

    private Row append(Row row, ForecastScorer.Step step) {
        int n = row.length();
        Object[] values = new Object[n + 1 + (withSeasonal ? 1 : 0) + (explanation == null ? 0 : 1)];
        for (int i = 0; i < n; i++) {
            values[i] = row.get(i);
        }
        int at = n;
        values[at++] = step.score;
        if (withSeasonal) {
            values[at++] = ForecastScorer.seasonalError(step);
        }
        if (explanation != null) {
            values[at] = step.score == null ? null : ForecastScorer.explain(explanation, step);
        }
        return RowFactory.create(values);
    }
}
