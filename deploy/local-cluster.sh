#!/usr/bin/env bash
# local-cluster.sh start|stop|status: a real Spark standalone cluster on this machine: one master and
# LOCAL_CLUSTER_WORKERS workers (default 2), each a separate JVM bound to 127.0.0.1, for trying the deploy
# scripts and for the cluster tests. `start` prints the master URL as its last line of stdout.
#
# No Spark download: target/local-cluster/spark-home is a Spark "distribution" made from the project's own
# Maven classpath: jars/ holds Spark, Scala, Hadoop and their dependencies (`mvn dependency:build-classpath`),
# but not DL4J, ND4J, DataVec nor the JavaCPP natives, which reach the executors only inside the assembly jar,
# as on a real cluster. Its bin/ has the spark-class and spark-submit of deploy/local-spark/bin, so
#   SPARK_HOME=target/local-cluster/spark-home deploy/submit-standalone.sh spark://127.0.0.1:PORT -- demo
# submits to it exactly as to any standalone cluster.
#
# Environment: LOCAL_CLUSTER_DIR (default target/local-cluster: pids, logs, work dirs, spark-home),
# LOCAL_CLUSTER_WORKERS (2), LOCAL_CLUSTER_WORKER_CORES (1), LOCAL_CLUSTER_WORKER_MEMORY (3g).
set -euo pipefail

home="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dir="${LOCAL_CLUSTER_DIR:-$home/target/local-cluster}"
workers="${LOCAL_CLUSTER_WORKERS:-2}"
worker_cores="${LOCAL_CLUSTER_WORKER_CORES:-1}"
worker_memory="${LOCAL_CLUSTER_WORKER_MEMORY:-3g}"
spark_home="$dir/spark-home"
# How long a daemon may take to come up; JVM start-up is slow on a busy 2-core machine.
start_timeout=120

log() { echo "local-cluster: $*" >&2; }

# The jars of the distribution, rebuilt when pom.xml changed.
build_spark_home() {
  local classpath="$dir/spark-classpath.txt"
  if [ ! -f "$classpath" ] || [ "$home/pom.xml" -nt "$classpath" ] || [ ! -d "$spark_home/jars" ]; then
    log "building $spark_home from the Maven classpath"
    # jansi.noreset: no colour resets on stderr (see maven() in bin/deep-anomaly)
    (cd "$home" && MAVEN_OPTS="-Djansi.noreset=true ${MAVEN_OPTS:-}" mvn -q -B dependency:build-classpath -Dmdep.outputFile="$classpath" \
        -Dmdep.includeScope=compile -Dmdep.excludeGroupIds=org.deeplearning4j,org.nd4j,org.datavec,org.bytedeco) >&2
    rm -rf "$spark_home/jars"
    mkdir -p "$spark_home/jars"
    local jar
    while IFS= read -r -d ':' jar; do
      ln -sf "$jar" "$spark_home/jars/"
    done < <(cat "$classpath"; printf ':')
  fi
  mkdir -p "$spark_home/bin"
  cp "$home/deploy/local-spark/bin/spark-class" "$home/deploy/local-spark/bin/spark-submit" "$spark_home/bin/"
}

alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

# Waits until $2 (a log) has a line matching $3, failing if the process of pid file $1 exits first.
wait_for() {
  local pidfile="$1" logfile="$2" pattern="$3" waited=0
  until grep -q -E "$pattern" "$logfile" 2>/dev/null; do
    if ! alive "$pidfile"; then
      log "$(basename "$pidfile" .pid) exited; its log, $logfile:"
      tail -n 30 "$logfile" >&2 || true
      return 1
    fi
    if [ "$waited" -ge "$((start_timeout * 10))" ]; then
      log "$(basename "$pidfile" .pid) not ready after ${start_timeout}s; see $logfile"
      return 1
    fi
    sleep 0.1
    waited=$((waited + 1))
  done
}

start() {
  if alive "$dir/master.pid"; then
    log "already running (master pid $(cat "$dir/master.pid")); stop it first"
    cat "$dir/master-url"
    return 0
  fi
  mkdir -p "$dir"
  build_spark_home
  export SPARK_HOME="$spark_home"
  # Every server binds to the loopback address only: RPC, block managers and web UIs (driver and executors
  # too, as the workers pass their environment on to the executors they launch).
  export SPARK_LOCAL_IP=127.0.0.1
  # The master and workers start through spark-class, which unlike spark-submit adds no --add-opens flags
  # for Java 17: they come from the one list in conf/spark-defaults.conf.
  local opens
  opens="$(sed -n 's/^spark\.executor\.extraJavaOptions[[:space:]]*//p' "$home/conf/spark-defaults.conf")"
  export SPARK_DAEMON_JAVA_OPTS="$opens ${SPARK_DAEMON_JAVA_OPTS:-}"
  export SPARK_DAEMON_MEMORY="${SPARK_DAEMON_MEMORY:-512m}"

  # Emptied here, not by the daemons' redirections below: those happen in the background, and the waits
  # could otherwise read the previous run's "ready" lines (and its master URL).
  rm -f "$dir"/master.log "$dir"/worker-*.log
  # Port 0 everywhere: the machine is shared, so fixed ports (7077, 8080, ...) may be taken.
  "$spark_home/bin/spark-class" org.apache.spark.deploy.master.Master \
      --host 127.0.0.1 --port 0 --webui-port 0 >"$dir/master.log" 2>&1 &
  echo $! >"$dir/master.pid"
  wait_for "$dir/master.pid" "$dir/master.log" 'Starting Spark master at spark://' || { stop; return 1; }
  local url
  url="$(grep -o -E 'spark://127\.0\.0\.1:[0-9]+' "$dir/master.log" | head -n 1)"
  echo "$url" >"$dir/master-url"

  local i
  for i in $(seq 1 "$workers"); do
    mkdir -p "$dir/worker-$i"
    "$spark_home/bin/spark-class" org.apache.spark.deploy.worker.Worker \
        --host 127.0.0.1 --port 0 --webui-port 0 --cores "$worker_cores" --memory "$worker_memory" \
        --work-dir "$dir/worker-$i" "$url" >"$dir/worker-$i.log" 2>&1 &
    echo $! >"$dir/worker-$i.pid"
  done
  for i in $(seq 1 "$workers"); do
    wait_for "$dir/worker-$i.pid" "$dir/worker-$i.log" 'Successfully registered with master' || { stop; return 1; }
  done
  log "master $url (pid $(cat "$dir/master.pid")), $workers workers of $worker_cores core(s) and $worker_memory;" \
      "logs and pids in $dir; submit with SPARK_HOME=$spark_home"
  echo "$url"
}

# Stops a daemon by its pid: SIGTERM (a worker then stops its executors), SIGKILL after 20 s; executors
# (children of a worker) that outlive it are stopped the same way.
stop_daemon() {
  local pidfile="$1"
  [ -f "$pidfile" ] || return 0
  local pid children waited=0
  pid="$(cat "$pidfile")"
  if kill -0 "$pid" 2>/dev/null; then
    children="$(pgrep -P "$pid" || true)"
    kill "$pid" 2>/dev/null || true
    while kill -0 "$pid" 2>/dev/null && [ "$waited" -lt 200 ]; do
      sleep 0.1
      waited=$((waited + 1))
    done
    kill -9 "$pid" 2>/dev/null || true
    for child in $children; do
      kill -9 "$child" 2>/dev/null || true
    done
  fi
  rm -f "$pidfile"
}

stop() {
  local pidfile
  for pidfile in "$dir"/worker-*.pid; do
    [ -e "$pidfile" ] && stop_daemon "$pidfile"
  done
  stop_daemon "$dir/master.pid"
  rm -f "$dir/master-url"
  log "stopped"
}

status() {
  local pidfile state
  for pidfile in "$dir"/master.pid "$dir"/worker-*.pid; do
    [ -e "$pidfile" ] || continue
    if alive "$pidfile"; then state="running"; else state="dead"; fi
    echo "$(basename "$pidfile" .pid) pid $(cat "$pidfile") $state"
  done
  [ -f "$dir/master-url" ] && cat "$dir/master-url"
  return 0
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
