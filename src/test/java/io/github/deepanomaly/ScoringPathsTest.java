package io.github.deepanomaly;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.deepanomaly.core.RootCause;
import io.github.deepanomaly.core.SchemaChecks;
import io.github.deepanomaly.nn.Activations;
import io.github.deepanomaly.nn.DenseAutoencoderNetwork;
import io.github.deepanomaly.score.DenseForwardPass;
import io.github.deepanomaly.score.ExceedConfidence;
import io.github.deepanomaly.score.RowScorer;
import io.github.deepanomaly.score.ScoreDistribution;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The two ways a model scores, row by row in column expressions and in batches through DL4J, give the
 * same columns and the same values, whatever the outputs and the handling of unusable rows.
 */
class ScoringPathsTest {
    private static SparkSession spark;
    private static Dataset<Row> data;
    private static AutoencoderDetectorModel model;
    private static AutoencoderDetectorModel pair;

    @BeforeAll
    static void fitOnce() {
        spark = SparkTestSession.get();
        List<Row> rows = new ArrayList<>(SyntheticData.planted(spark, 1500, 30, 6, 3).collectAsList());
        rows.add(RowFactory.create(null, 0.0));
        rows.add(RowFactory.create(Vectors.dense(1, Double.NaN, 0, 0, 0, 0), 0.0));
        data = spark.createDataFrame(rows, SyntheticData.SCHEMA).repartition(2).cache();
        // one network: the confidence near the threshold is steep enough that two networks' float rounding
        // shows in it (pair: aPairOfNetworksScoresAlikeOnBothPaths)
        model = new AutoencoderDetector().setPlainNetwork(false).setMaxIter(3).setBatchSize(64)
                .setHandleInvalid("skip").fit(data)
                .setExplanationCol("why").setExplainTopK(2).setNormalizedScoreCol("norm")
                .setConfidenceCol("confidence");
        pair = new AutoencoderDetector().setMaxIter(3).setBatchSize(64).setHandleInvalid("skip").fit(data)
                .setExplanationCol("why").setExplainTopK(2);
    }

    /** The default pair of networks: both paths give the same scores and explanations, up to float rounding. */
    @Test
    void aPairOfNetworksScoresAlikeOnBothPaths() {
        assertEquals(2, pair.networks().size());
        List<Row> a = pair.transform(data, true).orderBy("label", "anomalyScore").collectAsList();
        List<Row> b = pair.transform(data, false).orderBy("label", "anomalyScore").collectAsList();
        assertEquals(1530, a.size());
        assertEquals(a.size(), b.size());
        for (int i = 0; i < a.size(); i++) {
            double score = b.get(i).getDouble(2);
            assertEquals(score, a.get(i).getDouble(2), 1e-6 * Math.max(1, score), "score of row " + i);
            List<Row> whyA = a.get(i).getList(4);
            List<Row> whyB = b.get(i).getList(4);
            assertEquals(whyB.get(0).getString(0), whyA.get(0).getString(0), "top feature of row " + i);
            assertEquals(whyB.get(0).getDouble(1), whyA.get(0).getDouble(1), 1e-5 * Math.max(1, score));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"relu", "leakyrelu", "elu", "tanh", "sigmoid", "selu"})
    void theJavaPassReconstructsLikeDl4j(String activation) {
        int d = 7;
        MultiLayerNetwork network = DenseAutoencoderNetwork.build(d, new int[] {5, 3},
                Activations.byName(activation), 1e-2, 5);
        Random random = new Random(1);
        float[][] inputs = new float[50][d];
        for (float[] row : inputs) {
            for (int j = 0; j < d; j++) {
                row[j] = (float) (random.nextGaussian() * 2);
            }
        }
        INDArray expected = network.output(Nd4j.create(inputs), false);
        DenseForwardPass pass = DenseForwardPass.of(network);
        assertEquals(7 * 5 + 5 * 3 + 3 * 5 + 5 * 7, pass.multiplyAddsPerRow());
        for (int i = 0; i < inputs.length; i++) {
            float[] output = pass.output(inputs[i]);
            assertEquals(d, output.length);
            for (int j = 0; j < d; j++) {
                assertEquals(expected.getFloat(i, j), output[j], 1e-5, activation + " row " + i + " feature " + j);
            }
        }
    }

    @Test
    void defaultNetworksOfTabularDataScoreRowByRow() {
        assertTrue(DenseForwardPass.of(model.network()).multiplyAddsPerRow() <= RowScorer.MAX_MULTIPLY_ADDS);
    }

    @Test
    void bothPathsGiveTheSameColumnsAndValues() {
        for (String handleInvalid : List.of("skip", "keep")) {
            AutoencoderDetectorModel m = model.copy(model.extractParamMap()).setHandleInvalid(handleInvalid);
            Dataset<Row> rowwise = m.transform(data, true);
            Dataset<Row> batched = m.transform(data, false);
            assertEquals(m.transformSchema(data.schema()), rowwise.schema(), handleInvalid);
            assertEquals(m.transformSchema(data.schema()), batched.schema(), handleInvalid);
            List<Row> a = rowwise.orderBy("label", "anomalyScore").collectAsList();
            List<Row> b = batched.orderBy("label", "anomalyScore").collectAsList();
            assertEquals(handleInvalid.equals("keep") ? 1532 : 1530, a.size());
            assertEquals(a.size(), b.size());
            for (int i = 0; i < a.size(); i++) {
                Row x = a.get(i);
                Row y = b.get(i);
                assertEquals(x.get(0), y.get(0));
                assertEquals(x.get(1), y.get(1));
                if (x.isNullAt(2)) {
                    for (int c = 2; c < x.length(); c++) {
                        assertTrue(x.isNullAt(c) && y.isNullAt(c), "row " + i + ": " + x + " vs " + y);
                    }
                    continue;
                }
                double score = y.getDouble(2);
                assertEquals(score, x.getDouble(2), 1e-6 * Math.max(1, score), "score of row " + i);
                assertEquals(y.getDouble(4), x.getDouble(4), 1e-4, "normalized score of row " + i);
                // the threshold is one of the training scores: float rounding may put that row on either side
                if (Math.abs(score - m.getThreshold()) > 1e-6 * score) {
                    assertEquals(y.getDouble(3), x.getDouble(3), "prediction of row " + i);
                    // ExCeeD's binomial tail is steep near the threshold (n = 1,530): the paths' float rounding
                    // of a score may move its confidence by as much as the confidence moves over that rounding
                    assertEquals(y.getDouble(5), x.getDouble(5), confidenceTolerance(m, score, y.getDouble(3) == 1.0),
                            "confidence of row " + i);
                }
                List<Row> whyX = x.getList(6);
                List<Row> whyY = y.getList(6);
                assertEquals(whyY.get(0).getString(0), whyX.get(0).getString(0), "top feature of row " + i);
                assertEquals(whyY.get(0).getDouble(1), whyX.get(0).getDouble(1), 1e-5 * Math.max(1, score));
            }
        }
    }

    @Test
    void unusableRowsFailEitherPathWithTheSameMessage() {
        AutoencoderDetectorModel strict = model.copy(model.extractParamMap()).setHandleInvalid("error");
        for (boolean rowwise : new boolean[] {true, false}) {
            Exception e = assertThrows(Exception.class, () -> strict.transform(data, rowwise).select("anomalyScore").collectAsList());
            Throwable root = RootCause.of(e);
            assertTrue(root.getMessage().startsWith("Column 'features' has an unusable row ("), root.getMessage());
        }
    }

    @Test
    void columnNamesWithDotsAndBackticksAreTakenLiterally() {
        Dataset<Row> renamed = data.withColumnRenamed("features", "raw.vec`tor");
        AutoencoderDetectorModel m = model.copy(model.extractParamMap()).setFeaturesCol("raw.vec`tor")
                .setScoreCol("score.ae").setPredictionCol("is`anomaly").setExplanationCol("why.not");
        for (boolean rowwise : new boolean[] {true, false}) {
            Dataset<Row> scored = m.transform(renamed, rowwise);
            assertEquals(m.transformSchema(renamed.schema()), scored.schema());
            assertEquals(1530, scored.where(SchemaChecks.column("score.ae").isNotNull()).count());
        }
    }

    @Test
    void anExplanationComesFromTheScoresOwnPass() {
        Dataset<Row> explained = model.transform(data).where("prediction = 1.0").select("why");
        String plan = explained.queryExecution().optimizedPlan().toString();
        assertEquals(1, plan.split("reconstruction", -1).length - 1, plan);
        assertTrue(explained.count() > 0);
    }

    @Test
    void aFilterOnThePredictionDoesNotRunTheNetworkTwice() {
        AutoencoderDetectorModel plain = model.copy(model.extractParamMap()).setExplanationCol("")
                .setNormalizedScoreCol("").setConfidenceCol("");
        Dataset<Row> anomalies = plain.transform(data).where("prediction = 1.0").select("label");
        String plan = anomalies.queryExecution().optimizedPlan().toString();
        assertEquals(1, plan.split("reconstructionError\\(", -1).length - 1, plan);
        assertTrue(anomalies.count() > 0);
    }

    /** How far the confidence moves when the score moves by the paths' rounding tolerance (1e-6 of it) either way. */
    private static double confidenceTolerance(AutoencoderDetectorModel m, double score, boolean predictedAnomaly) {
        ScoreDistribution training = m.trainingScoreDistribution().orElseThrow();
        ExceedConfidence exceed = ExceedConfidence.of(training.count(), m.getContamination());
        double rounding = 1e-6 * Math.max(1, score);
        return Math.abs(exceed.confidence(training.cdf(score + rounding), predictedAnomaly)
                - exceed.confidence(training.cdf(score - rounding), predictedAnomaly)) + 1e-9;
    }
}
