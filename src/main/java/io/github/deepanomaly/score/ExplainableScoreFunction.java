package io.github.deepanomaly.score;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;

/** A score built from one term per feature, so each feature's part in a row's score can be shown. */
public interface ExplainableScoreFunction extends ScoreFunction {

    /**
     * The scores, identical to {@link #scores}, and every row's per-feature terms, from the same forward
     * pass: explaining costs no second pass through the network.
     */
    Explained explain(MultiLayerNetwork network, INDArray input);

    /** @param contributions one row per input row, one entry per feature */
    record Explained(double[] scores, float[][] contributions) {
    }
}
