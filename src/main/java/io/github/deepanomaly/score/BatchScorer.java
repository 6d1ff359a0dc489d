package io.github.deepanomaly.score;

import io.github.deepanomaly.core.DetectorParamSet;
import io.github.deepanomaly.core.FeatureCheck;
import io.github.deepanomaly.core.Standardization;
import io.github.deepanomaly.train.Minibatches;
import java.io.Serializable;
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
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Appends a score and the {@link Outputs} derived from it to every row of a partition, running the
 * network once per {@link #BATCH_ROWS} rows: a forward pass per row is ~1000× slower. Explanations come
 * from that same pass.
 *
 * @param network         the DL4J network as bytes, broadcast once per transform
 * @param featuresIndex   position of the feature vector in the input rows
 * @param handleInvalid   'error', 'skip' or 'keep' for rows whose vector is unusable
 * @param outputs         the columns after the score
 */
public record BatchScorer(Broadcast<byte[]> network, ScoreFunction scoreFunction, Standardization standardization,
        int featuresIndex, String featuresCol, String handleInvalid, Outputs outputs)
        implements MapPartitionsFunction<Row, Row> {

    /** Rows per forward pass: large enough to amortise the call, small enough to keep memory flat. */
    public static final int BATCH_ROWS = 4096;

    /**
     * The columns appended after the score, in this order, each left out when its field is null (false
     * for the prediction). A row whose vector is unusable (handleInvalid 'keep') gets null in all of them.
     *
     * @param threshold     scores at or above it are predicted anomalies; NaN when the model has none
     * @param prediction    append 1.0 (anomaly) or 0.0; needs a threshold
     * @param training      the training score distribution; needed by normalization and confidence
     * @param normalization append the score normalized by it
     * @param confidence    append the confidence in the prediction; needs a threshold
     * @param explanation   append the strongest per-feature contributions; needs an explainable score
     */
    public record Outputs(double threshold, boolean prediction, ScoreDistribution training,
            ScoreNormalization normalization, ExceedConfidence confidence, FeatureExplanation explanation)
            implements Serializable {

        public Outputs {
            if ((prediction || confidence != null) && Double.isNaN(threshold)) {
                throw new IllegalArgumentException("a prediction or confidence needs a threshold");
            }
            if ((normalization != null || confidence != null) && training == null) {
                throw new IllegalArgumentException("normalized scores and confidence need the training scores");
            }
        }

        int count() {
            return (prediction ? 1 : 0) + (normalization != null ? 1 : 0) + (confidence != null ? 1 : 0)
                    + (explanation != null ? 1 : 0);
        }
    }

    public BatchScorer {
        if (outputs.explanation() != null && !(scoreFunction instanceof ExplainableScoreFunction)) {
            throw new IllegalArgumentException(scoreFunction.getClass().getSimpleName()
                    + " does not split its score by feature, so it cannot explain it");
        }
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
        double[] scores = new double[0];
        float[][] contributions = null;
        if (!usable.isEmpty()) {
            INDArray batch = Minibatches.matrix(usable, standardization);
            if (outputs.explanation() != null) {
                ExplainableScoreFunction.Explained explained = ((ExplainableScoreFunction) scoreFunction)
                        .explain(net, batch);
                scores = explained.scores();
                contributions = explained.contributions();
            } else {
                scores = scoreFunction.scores(net, batch);
            }
        }
        List<Row> out = new ArrayList<>(rows.size());
        int next = 0;
        for (int i = 0; i < rows.size(); i++) {
            if (isUsable[i]) {
                out.add(append(rows.get(i), scores[next], contributions == null ? null : contributions[next]));
                next++;
            } else {
                out.add(appendNulls(rows.get(i)));
            }
        }
        return out;
    }

    private Row append(Row row, double score, float[] contributions) {
        Object[] values = copyWithRoom(row);
        int at = row.length();
        values[at++] = score;
        boolean anomaly = score >= outputs.threshold();
        if (outputs.prediction()) {
            values[at++] = anomaly ? 1.0 : 0.0;
        }
        if (outputs.normalization() != null) {
            values[at++] = outputs.normalization().apply(outputs.training(), score);
        }
        if (outputs.confidence() != null) {
            values[at++] = outputs.confidence().confidence(outputs.training().cdf(score), anomaly);
        }
        if (outputs.explanation() != null) {
            values[at] = outputs.explanation().of(contributions);
        }
        return RowFactory.create(values);
    }

    private Row appendNulls(Row row) {
        return RowFactory.create(copyWithRoom(row));
    }

    private Object[] copyWithRoom(Row row) {
        int n = row.length();
        Object[] values = new Object[n + 1 + outputs.count()];
        for (int i = 0; i < n; i++) {
            values[i] = row.get(i);
        }
        return values;
    }
}
