# Sourced by submit-standalone.sh, submit-yarn.sh and submit-k8s.sh: the part of the spark-submit command
# line that spark-deep-anomaly needs on every cluster manager. Each script adds its --master and its own
# settings and calls `submit "$@"`.
#
# The scripts take: [spark-submit options ...] -- COMMAND [options], e.g.
#   deploy/submit-standalone.sh spark://host:7077 --conf spark.eventLog.enabled=true -- \
#       train --input hdfs:///data/t.csv --model hdfs:///models/ae --label-col label
# Options before `--` go to spark-submit (after ours, so they win); the rest is the deep-anomaly command line.
#
# Environment (defaults fit an 8-core, 32 GB worker running 2 executors):
#   SPARK_HOME         the Spark installation (3.5.x, Scala 2.12, Java 17) whose bin/spark-submit runs
#   DEEP_ANOMALY_JAR   the application jar (default: target/spark-deep-anomaly-assembly.jar, `mvn package`)
#   EXECUTOR_CORES     cores of each executor (4)
#   TASK_CPUS          cores of each task, i.e. the OpenMP threads each task's ND4J uses (1); EXECUTOR_CORES /
#                      TASK_CPUS tasks run at once per executor, each training its own replica of the network
#   EXECUTOR_MEMORY    JVM heap of each executor (6g)
#   ND4J_OFF_HEAP      ND4J's arrays live outside the JVM heap, through JavaCPP; its limit (4g)
#   DRIVER_MEMORY      JVM heap of the driver (4g); the driver holds one copy of the network and its averages
# shellcheck shell=bash

home="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
jar="${DEEP_ANOMALY_JAR:-$home/target/spark-deep-anomaly-assembly.jar}"
executor_cores="${EXECUTOR_CORES:-4}"
task_cpus="${TASK_CPUS:-1}"
executor_memory="${EXECUTOR_MEMORY:-6g}"
nd4j_off_heap="${ND4J_OFF_HEAP:-4g}"
driver_memory="${DRIVER_MEMORY:-4g}"

# The cluster manager's options: --master and its own settings, set by the script that sources this file.
manager_args=()

# A size like 512m or 4g in MiB.
mebibytes() {
  local size="${1,,}"
  case "$size" in
    *g) echo $((${size%g} * 1024)) ;;
    *m) echo "${size%m}" ;;
    *) echo "deep-anomaly: sizes are like 512m or 4g, got '$1'" >&2; return 1 ;;
  esac
}

# Everything of an executor outside its heap: ND4J's arrays, plus 1 GiB for the native libraries (libnd4jcpu
# and OpenBLAS map about 350 MB), thread stacks and the JVM's own non-heap memory (Spark's default overhead is
# only 10 % of the heap, at least 384 MiB: ND4J alone exceeds it and YARN or Kubernetes kill the container).
overhead_mb=$(($(mebibytes "$nd4j_off_heap") + 1024))
# JavaCPP (under ND4J) fails an allocation with an OutOfMemoryError, after a GC, before the process would
# outgrow its container; the whole container is heap plus overhead.
physical_mb=$(($(mebibytes "$executor_memory") + overhead_mb))

# The project's Spark settings, the same file bin/deep-anomaly reads; among them the --add-opens flags Java 17
# needs (spark-submit and SparkContext add Spark's own list too since Spark 3.3; ours keep this file usable
# with a plain `java` launch and make the flags explicit).
spark_settings=()
driver_opts=""
executor_opts=""
while read -r key value; do
  case "$key" in
    ''|'#'*) continue ;;
    spark.driver.extraJavaOptions) driver_opts="$value" ;;
    spark.executor.extraJavaOptions) executor_opts="$value" ;;
    spark.*) spark_settings+=(--conf "$key=$value") ;;
  esac
done < "$home/conf/spark-defaults.conf"

submit() {
  if [ -z "${SPARK_HOME:-}" ] || [ ! -x "$SPARK_HOME/bin/spark-submit" ]; then
    echo "deep-anomaly: set SPARK_HOME to a Spark 3.5 (Scala 2.12) installation; for a local test cluster use" \
         "SPARK_HOME=$home/target/local-cluster/spark-home (deploy/local-cluster.sh start)" >&2
    exit 2
  fi
  if [[ "$jar" != *://* ]] && [ ! -f "$jar" ]; then
    echo "deep-anomaly: $jar is missing; build it with 'mvn -DskipTests package'" >&2
    exit 2
  fi
  local submit_args=()
  while [ $# -gt 0 ] && [ "$1" != "--" ]; do
    submit_args+=("$1")
    shift
  done
  if [ $# -eq 0 ]; then
    echo "deep-anomaly: no command; usage: $(basename "$0") ${usage_master:-MASTER} [spark-submit options ...] --" \
         "COMMAND [options]  (COMMAND: train, score, evaluate, demo; see bin/deep-anomaly help)" >&2
    exit 2
  fi
  shift

  # The driver logs as bin/deep-anomaly does: warnings, plus our own progress (conf/log4j2.properties).
  # spark.task.cpus: see TASK_CPUS above; OMP_NUM_THREADS follows it (Spark >= 3.4 defaults it to
  # spark.task.cpus too), as EXECUTOR_CORES / TASK_CPUS tasks share the executor's cores: each task's OpenMP
  # pool at the executor's full core count would run EXECUTOR_CORES² threads on EXECUTOR_CORES cores.
  # minRegisteredResourcesRatio: training lays its minibatch partitions out on the executors that are there
  # when it starts, and the cached partitions stay where they are; so wait (at most 120 s) for all of them.
  export SPARK_SUBMIT_OPTS="-Dlog4j2.configurationFile=file:$home/conf/log4j2.properties ${SPARK_SUBMIT_OPTS:-}"

  exec "$SPARK_HOME/bin/spark-submit" \
    --class io.github.deepanomaly.cli.Main \
    --name "deep-anomaly $1" \
    "${spark_settings[@]}" \
    --driver-memory "$driver_memory" \
    --conf "spark.driver.extraJavaOptions=$driver_opts" \
    --executor-cores "$executor_cores" \
    --executor-memory "$executor_memory" \
    --conf spark.executor.memoryOverhead="${overhead_mb}m" \
    --conf "spark.executor.extraJavaOptions=$executor_opts -Dorg.bytedeco.javacpp.maxbytes=$nd4j_off_heap -Dorg.bytedeco.javacpp.maxphysicalbytes=${physical_mb}m" \
    --conf spark.task.cpus="$task_cpus" \
    --conf spark.executorEnv.OMP_NUM_THREADS="$task_cpus" \
    --conf spark.scheduler.minRegisteredResourcesRatio=1.0 \
    --conf spark.scheduler.maxRegisteredResourcesWaitingTime=120s \
    "${manager_args[@]}" \
    "${submit_args[@]}" \
    "$jar" "$@"
}
