package io.github.deepanomaly.train;

import org.apache.spark.TaskContext;
import org.nd4j.linalg.factory.Nd4j;

/**
 * ND4J's OpenMP threads per task: as many as the task's CPUs ({@code spark.task.cpus}, 1 by default).
 * ND4J opens OpenMP parallel regions even for tiny operations, and with its default (the machine's
 * cores) two tasks on two cores spent their time waiting at each other's OpenMP barriers: measured here,
 * DL4J's fit of a small network took 3–4 ms per minibatch with two tasks at once and 1.5–2 ms with one
 * thread each (perf: 14–35 % of the CPU in libgomp's spin-wait, none after). ND4J's setting is the JVM's,
 * so it is set again by every task (cheap and idempotent).
 */
public final class NativeThreads {
    private NativeThreads() {
    }

    public static void matchTaskCpus() {
        TaskContext task = TaskContext.get();
        int cpus = task == null ? 1 : Math.max(1, task.cpus());
        if (Nd4j.getEnvironment().maxMasterThreads() != cpus) {
            Nd4j.getEnvironment().setMaxMasterThreads(cpus);
            Nd4j.getEnvironment().setMaxThreads(cpus);
        }
    }
}
