package io.github.deepanomaly.core;

import io.github.deepanomaly.train.Training;
import org.apache.spark.ml.param.BooleanParam;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.param.Params;

/**
 * The training Param objects every detector shares, one set per stage instance (Spark ties a Param to
 * the uid of the stage that declares it).
 */
public final class TrainingParamSet {
    /**
     * Default training epochs, chosen with the averaging engine on 9 ADBench sets, two seeds each (README,
     * "Quality"): mean AUC-ROC 0.892 at 5 epochs, 0.876 at 20 (and 0.878 at 3, 0.879 at 8): the autoencoder
     * also learns to reconstruct the anomalies among its training rows (cardio, satellite and thyroid lose
     * 0.05–0.10 from 5 to 20 epochs).
     */
    public static final int DEFAULT_MAX_ITER = 5;
    public static final int DEFAULT_BATCH_SIZE = 128;
    public static final double DEFAULT_STEP_SIZE = 1e-2;
    public static final double MAX_VALIDATION_FRACTION = 0.5;
    public static final double DEFAULT_VALIDATION_FRACTION = 0.1;
    public static final int DEFAULT_PATIENCE = 2;

    final IntParam maxIter;
    final IntParam batchSize;
    final DoubleParam stepSize;
    final LongParam seed;
    final BooleanParam standardization;
    final IntParam numWorkers;
    final IntParam averagingFrequency;
    final DoubleParam validationFraction;
    final IntParam patience;
    final IntParam minSteps;
    final Param<String> trainingEngine;

    /** @param defaultSeed the detector's own default seed */
    public TrainingParamSet(Params owner, long defaultSeed) {
        maxIter = new IntParam(owner, "maxIter", "the most training epochs (passes over the data), >= 1; early"
                + " stopping (validationFraction, patience) may stop sooner", ParamValidators.gtEq(1));
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
                "minibatches each worker fits between two parameter averagings, >= 1; 0 (default) = automatic: 5,"
                        + " or more on large tables so that an epoch has about 12 averagings (each is a Spark job)",
                ParamValidators.gtEq(0));
        validationFraction = new DoubleParam(owner, "validationFraction",
                "share of the training rows held out (on the executors) to measure a validation loss after every"
                        + " epoch, in [0, 0.5); training stops when it has not improved for 'patience' epochs and the"
                        + " model keeps the best epoch. 0 = no hold-out, train all maxIter epochs",
                ParamValidators.inRange(0.0, MAX_VALIDATION_FRACTION, true, false));
        patience = new IntParam(owner, "patience",
                "epochs without a better validation loss (by 0.1 % or more) before training stops, >= 1",
                ParamValidators.gtEq(1));
        minSteps = new IntParam(owner, "minSteps", "the fewest minibatch steps each worker makes, >= 0: when maxIter"
                + " epochs of its partition make fewer (a small table), training runs as many more epochs as reach it;"
                + " early stopping still applies. 0 = maxIter epochs whatever the table's size",
                ParamValidators.gtEq(0));
        trainingEngine = new Param<>(owner, "trainingEngine",
                "how training is distributed: 'averaging' (default: this library's parameter averaging of all the"
                        + " detector's networks, one Spark job per round) or 'dl4j-spark' (dl4j-spark's"
                        + " ParameterAveragingTrainingMaster, for detectors that train one network)",
                ParamValidators.inArray(new String[] {Training.AVERAGING, Training.DL4J_SPARK}));
        owner.setDefault(maxIter, DEFAULT_MAX_ITER);
        owner.setDefault(batchSize, DEFAULT_BATCH_SIZE);
        owner.setDefault(stepSize, DEFAULT_STEP_SIZE);
        owner.setDefault(seed, defaultSeed);
        owner.setDefault(standardization, true);
        owner.setDefault(numWorkers, 0);
        owner.setDefault(averagingFrequency, 0);
        owner.setDefault(validationFraction, DEFAULT_VALIDATION_FRACTION);
        owner.setDefault(patience, DEFAULT_PATIENCE);
        owner.setDefault(minSteps, 0);
        owner.setDefault(trainingEngine, Training.AVERAGING);
    }
}
