package io.github.deepanomaly.score;

import io.github.deepanomaly.core.DetectorParamSet;
import io.github.deepanomaly.core.FeatureCheck;
import io.github.deepanomaly.core.Standardization;
import io.github.deepanomaly.train.Minibatches;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Appends a score, and an explanation when one is asked for, to every row of a partition, running the
 * network once per {@code batchRows} rows: a forward pass per row through DL4J is ~1000× slower.
 * Explanations come from that same pass. Used for networks beyond {@link RowScorer#MAX_MULTIPLY_ADDS},
 * whose cost lies in the matrix products DL4J does best; it decodes and re-encodes every column of the rows.
 *
 * @param networks        the DL4J networks as bytes ({@link NetworkBytes#broadcast}), broadcast once per transform
 * @param scoreFunctions  one per network: a row's score is their mean, its explanation the mean of theirs
 * @param featuresIndex   position of the feature vector in the input rows
 * @param handleInvalid   'error', 'skip' or 'keep' for rows whose vector is unusable
 * @param explanation     how to explain a score; null for no explanation column
 * @param batchRows       rows per forward pass
 */
public record BatchScorer(Broadcast<byte[][]> networks, List<ScoreFunction> scoreFunctions,
        Standardization standardization, int featuresIndex, String featuresCol, String handleInvalid,
        Explanation explanation, int batchRows) implements MapPartitionsFunction<Row, Row> {

    /**
     * Rows per forward pass of a dense network: large enough to amortise the call, small enough to keep memory
     * flat. Networks with larger activations per row (convolutions) pass fewer.
     */
    public static final int BATCH_ROWS = 4096;

    /** A scorer passing {@link #BATCH_ROWS} rows at a time. */
    public BatchScorer(Broadcast<byte[][]> networks, List<ScoreFunction> scoreFunctions,
            Standardization standardization, int featuresIndex, String featuresCol, String handleInvalid,
            FeatureExplanation explanation) {
        this(networks, scoreFunctions, standardization, featuresIndex, featuresCol, handleInvalid, explanation,
                BATCH_ROWS);
    }

    public BatchScorer {
        if (batchRows < 1) {
            throw new IllegalArgumentException("batchRows must be at least 1, got " + batchRows);
        }
        scoreFunctions = List.copyOf(scoreFunctions);
        for (ScoreFunction scoreFunction : scoreFunctions) {
            if (explanation != null && !(scoreFunction instanceof ExplainableScoreFunction)) {
                throw new IllegalArgumentException(scoreFunction.getClass().getSimpleName()
                        + " does not split its score by feature, so it cannot explain it");
            }
        }
    }

    /** The schema of the rows {@link #call} returns. */
    public static StructType outputSchema(StructType input, String scoreCol, String explanationCol) {
        return outputSchema(input, scoreCol, explanationCol, FeatureExplanation.TYPE);
    }

    /** The schema of the rows {@link #call} returns, with an explanation of {@code explanationType}. */
    public static StructType outputSchema(StructType input, String scoreCol, String explanationCol,
            DataType explanationType) {
        StructType out = input.add(scoreCol, DataTypes.DoubleType, true);
        return explanationCol.isEmpty() ? out : out.add(explanationCol, explanationType, true);
    }

    @Override
    public Iterator<Row> call(Iterator<Row> input) {
        List<MultiLayerNetwork> nets = Arrays.stream(networks.value()).map(NetworkBytes::fromBytes).toList();
        FeatureCheck check = new FeatureCheck(standardization.size());
        return BatchIterator.of(input::hasNext, () -> scoreNextBatch(nets, check, input));
    }

    private List<Row> scoreNextBatch(List<MultiLayerNetwork> nets, FeatureCheck check, Iterator<Row> input) {
        List<Row> rows = new ArrayList<>(batchRows);
        List<Vector> usable = new ArrayList<>(batchRows);
        boolean[] isUsable = new boolean[batchRows];
        while (input.hasNext() && rows.size() < batchRows) {
            Row row = input.next();
            Vector v = (Vector) row.get(featuresIndex);
            String problem = check.problem(v);
            if (problem == null) {
                isUsable[rows.size()] = true;
                usable.add(v);
            } else if (DetectorParamSet.HANDLE_SKIP.equals(handleInvalid)) {
                continue;
            } else if (DetectorParamSet.HANDLE_ERROR.equals(handleInvalid)) {
                throw FeatureCheck.unusableRow(featuresCol, problem);
            }
            rows.add(row);
        }
        double[] scores = new double[0];
        float[][] contributions = null;
        if (!usable.isEmpty()) {
            INDArray batch = Minibatches.matrix(usable, standardization);
            scores = new double[usable.size()];
            contributions = explanation == null ? null : new float[usable.size()][];
            for (int k = 0; k < nets.size(); k++) {
                ScoreFunction scoreFunction = scoreFunctions.get(k);
                if (explanation != null) {
                    ExplainableScoreFunction.Explained explained = ((ExplainableScoreFunction) scoreFunction)
                            .explain(nets.get(k), batch);
                    add(scores, explained.scores());
                    addShare(contributions, explained.contributions(), nets.size());
                } else {
                    add(scores, scoreFunction.scores(nets.get(k), batch));
                }
            }
            for (int i = 0; i < scores.length; i++) {
                scores[i] /= nets.size();
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

    /** Adds one network's scores to the sum; the sum is divided by the count once it is complete. */
    private static void add(double[] sum, double[] scores) {
        for (int i = 0; i < sum.length; i++) {
            sum[i] += scores[i];
        }
    }

    /** Adds one network's contributions, each divided by the count of networks, to the mean. */
    private static void addShare(float[][] mean, float[][] contributions, int count) {
        for (int i = 0; i < mean.length; i++) {
            if (mean[i] == null) {
                mean[i] = new float[contributions[i].length];
            }
            for (int j = 0; j < mean[i].length; j++) {
                mean[i][j] += contributions[i][j] / count;
            }
        }
    }

    private Row append(Row row, double score, float[] contributions) {
        Object[] values = copyWithRoom(row);
        values[row.length()] = score;
        if (explanation != null) {
            values[row.length() + 1] = explanation.of(contributions);
        }
        return RowFactory.create(values);
    }

    private Row appendNulls(Row row) {
        return RowFactory.create(copyWithRoom(row));
    }

    private Object[] copyWithRoom(Row row) {
        int n = row.length();
        Object[] values = new Object[n + (explanation != null ? 2 : 1)];
        for (int i = 0; i < n; i++) {
            values[i] = row.get(i);
        }
        return values;
    }
}
