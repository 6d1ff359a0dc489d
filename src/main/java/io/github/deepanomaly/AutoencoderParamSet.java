package io.github.deepanomaly;

import io.github.deepanomaly.core.Validators;
import io.github.deepanomaly.nn.Activations;
import org.apache.spark.ml.param.BooleanParam;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntArrayParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.param.Params;

/** The Param objects of one {@link AutoencoderDetector} or {@link AutoencoderDetectorModel} instance. */
public final class AutoencoderParamSet {
    /** Default training epochs: chosen on the ADBench sets, where AUC stopped improving past it (see README). */
    static final int DEFAULT_MAX_ITER = 20;
    static final int DEFAULT_BATCH_SIZE = 128;
    static final double DEFAULT_STEP_SIZE = 1e-2;
    static final int DEFAULT_AVERAGING_FREQUENCY = 5;

    final IntArrayParam hiddenLayers;
    final Param<String> activation;
    final IntParam maxIter;
    final IntParam batchSize;
    final DoubleParam stepSize;
    final LongParam seed;
    final BooleanParam standardization;
    final IntParam numWorkers;
    final IntParam averagingFrequency;

    AutoencoderParamSet(Params owner) {
        hiddenLayers = new IntArrayParam(owner, "hiddenLayers",
                "sizes of the encoder's hidden layers, outermost first; the decoder mirrors them. Empty (default):"
                        + " sized from the input dimension d as [max(2, d/2), max(1, d/4)]",
                Validators.allPositive());
        activation = new Param<>(owner, "activation",
                "activation of the hidden layers: " + String.join(", ", Activations.NAMES),
                ParamValidators.inArray(Activations.NAMES.toArray(new String[0])));
        maxIter = new IntParam(owner, "maxIter", "number of training epochs (passes over the data), >= 1",
                ParamValidators.gtEq(1));
        batchSize = new IntParam(owner, "batchSize", "rows per training minibatch on each worker, >= 1",
                ParamValidators.gtEq(1));
        stepSize = new DoubleParam(owner, "stepSize", "learning rate of the Adam updater, > 0",
                ParamValidators.gt(0.0));
        seed = new LongParam(owner, "seed", "random seed for weight initialisation and data splits");
        standardization = new BooleanParam(owner, "standardization",
                "scale every feature to mean 0 and standard deviation 1 (statistics from the training data, kept"
                        + " in the model) before the network sees it");
        numWorkers = new IntParam(owner, "numWorkers",
                "parallel training workers (partitions of the training data); 0 = Spark's default parallelism",
                ParamValidators.gtEq(0));
        averagingFrequency = new IntParam(owner, "averagingFrequency",
                "minibatches each worker fits between two parameter averagings, >= 1",
                ParamValidators.gtEq(1));
        owner.setDefault(hiddenLayers, new int[0]);
        owner.setDefault(activation, Activations.DEFAULT);
        owner.setDefault(maxIter, DEFAULT_MAX_ITER);
        owner.setDefault(batchSize, DEFAULT_BATCH_SIZE);
        owner.setDefault(stepSize, DEFAULT_STEP_SIZE);
        owner.setDefault(seed, (long) "AutoencoderDetector".hashCode());
        owner.setDefault(standardization, true);
        owner.setDefault(numWorkers, 0);
        owner.setDefault(averagingFrequency, DEFAULT_AVERAGING_FREQUENCY);
    }
}
