package io.github.deepanomaly.score;

import io.github.deepanomaly.core.DetectorParamSet;
import io.github.deepanomaly.core.FeatureCheck;
import io.github.deepanomaly.core.Standardization;
import io.github.deepanomaly.train.Minibatches;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/**
 * Appends a score (and a prediction when a threshold is set) to every row of a partition, running the
 * network once per {@link #BATCH_ROWS} rows: a forward pass per row is ~1000× slower.
 *
 * @param network         the DL4J network as bytes, broadcast once per transform
 * @param featuresIndex   position of the feature vector in the input rows
 * @param threshold       scores at or above it are predicted anomalies; NaN: no prediction column
 * @param handleInvalid   'error', 'skip' or 'keep' for rows whose vector is unusable
 */
public record BatchScorer(Broadcast<byte[]> network, ScoreFunction scoreFunction, Standardization standardization,
        int featuresIndex, String featuresCol, double threshold, String handleInvalid)
        implements MapPartitionsFunction<Row, Row> {

    /** Rows per forward pass: large enough to amortise the call, small enough to keep memory flat. */
    public static final int BATCH_ROWS = 4096;

    private boolean withPrediction() {
        return !Double.isNaN(threshold);
    }

    @Override
    public Iterator<Row> call(Iterator<Row> input) {
        MultiLayerNetwork net = NetworkBytes.fromBytes(network.value());
        FeatureCheck check = new FeatureCheck(standardization.size());
        return new Iterator<>() {
            private Iterator<Row> pending = java.util.Collections.emptyIterator();

            @Override
            public boolean hasNext() {
                while (!pending.hasNext() && input.hasNext()) {
                    pending = scoreNextBatch(net, check, input).iterator();
                }
                return pending.hasNext();
            }

            @Override
            public Row next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return pending.next();
            }
        };
    }

    private List<Row> scoreNextBatch(MultiLayerNetwork net, FeatureCheck check, Iterator<Row> input) {
        List<Row> rows = new ArrayList<>(BATCH_ROWS);
        List<Vector> usable = new ArrayList<>(BATCH_ROWS);
        boolean[] isUsable = new boolean[BATCH_ROWS];
        while (input.hasNext() && rows.size() < BATCH_ROWS) {
            Row row = input.next();
            Vector v = (Vector) row.get(featuresIndex);
            String problem = check.problem(v);
            if (problem == null) {
                isUsable[rows.size()] = true;
                usable.add(v);
            } else if (DetectorParamSet.HANDLE_SKIP.equals(handleInvalid)) {
                continue;
            } else if (DetectorParamSet.HANDLE_ERROR.equals(handleInvalid)) {
                throw new IllegalArgumentException("Column '" + featuresCol + "' has an unusable row (" + problem
                        + "); fix the data or set handleInvalid to 'skip' (drop such rows) or 'keep' (score them null)");
            }
            rows.add(row);
        }
        double[] scores = usable.isEmpty() ? new double[0]
                : scoreFunction.scores(net, Minibatches.matrix(usable, standardization));
        List<Row> out = new ArrayList<>(rows.size());
        int next = 0;
        for (int i = 0; i < rows.size(); i++) {
            Double score = isUsable[i] ? scores[next++] : null;
            out.add(append(rows.get(i), score));
        }
        return out;
    }

    private Row append(Row row, Double score) {
        int n = row.length();
        Object[] values = new Object[n + (withPrediction() ? 2 : 1)];
        for (int i = 0; i < n; i++) {
            values[i] = row.get(i);
        }
        values[n] = score;
        if (withPrediction()) {
            values[n + 1] = score == null ? null : (score >= threshold ? 1.0 : 0.0);
        }
        return RowFactory.create(values);
    }
}
