package io.github.deepanomaly.score;

import io.github.deepanomaly.core.Standardization;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/**
 * The dense autoencoder's score from its networks: each network's reconstruction error, its features' squared
 * errors counted as that network's {@link ErrorScales} say (weighted, and logarithmic above their limits),
 * averaged over the networks (one, or the denoising and the plain one). The same sum in training, row by row and
 * in batches, so that the threshold and the score distribution agree with transform's scores.
 *
 * @param networks the trained networks, the denoising one first
 * @param weights  one per network, or null: every feature's squared error as it is (one network)
 * @param passes   how many times each network is applied to reconstruct a row
 */
public record ReconstructionScore(List<MultiLayerNetwork> networks, List<ErrorWeights> weights,
        ReconstructionPasses passes) {

    /** @param scales one per network, or null for none */
    public static ReconstructionScore of(List<MultiLayerNetwork> networks, List<ErrorScales> scales,
            ReconstructionPasses passes) {
        if (passes.networks() != networks.size()) {
            throw new IllegalArgumentException(networks.size() + " networks but passes for " + passes.networks());
        }
        if (scales == null && networks.size() > 1) {
            throw new IllegalArgumentException("networks scored together need each its typical score: "
                    + networks.size() + " networks, no scales");
        }
        if (scales != null && scales.size() != networks.size()) {
            throw new IllegalArgumentException(networks.size() + " networks but " + scales.size() + " error scales");
        }
        return new ReconstructionScore(List.copyOf(networks),
                scales == null ? null : scales.stream().map(ErrorScales::errorWeights).toList(), passes);
    }

    private ErrorWeights weights(int k) {
        return weights == null ? ErrorWeights.NONE : weights.get(k);
    }

    /** How training scores its cached minibatches: the passes transform will use. */
    public NetworksScore trainingScore() {
        List<ReconstructionError> errors = ReconstructionError.likeTransform(networks, this::weights, passes);
        return (trained, batch) -> {
            double[] sum = new double[batch.rows()];
            for (int k = 0; k < errors.size(); k++) {
                double[] scores = errors.get(k).scores(trained.get(k), batch.values(), batch.shape());
                for (int i = 0; i < sum.length; i++) {
                    sum[i] += scores[i];
                }
            }
            for (int i = 0; i < sum.length; i++) {
                sum[i] /= errors.size();
            }
            return sum;
        };
    }

    /** Whether rows are scored one at a time in plain Java rather than in batches ({@link ReconstructionPasses#rowwise}). */
    public boolean rowwise() {
        return passes.rowwise(networks);
    }

    /** The score of one row in plain Java, for {@link RowScorer}. */
    public RowScore rowScore() {
        List<RowScore> parts = new ArrayList<>();
        for (int k = 0; k < networks.size(); k++) {
            parts.add(RowScore.reconstruction(DenseForwardPass.of(networks.get(k)).repeated(passes.of(k)), weights(k)));
        }
        return parts.size() == 1 ? parts.get(0) : new RowScore.Mean(parts);
    }

    /** Scoring in batches through DL4J, the networks broadcast once. */
    public BatchScorer batchScorer(JavaSparkContext sc, Standardization standardization, int featuresIndex,
            String featuresCol, String handleInvalid, FeatureExplanation explanation) {
        List<ScoreFunction> functions = new ArrayList<>();
        for (int k = 0; k < networks.size(); k++) {
            functions.add(new ReconstructionError(weights(k), passes.of(k)));
        }
        return new BatchScorer(NetworkBytes.broadcast(sc, networks), functions, standardization, featuresIndex,
                featuresCol, handleInvalid, explanation);
    }
}
