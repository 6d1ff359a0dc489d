#!/usr/bin/env bash
# Runs a deep-anomaly command on a Spark standalone cluster, the driver on this machine (client mode, so the
# report prints here). Usage: deploy/submit-standalone.sh spark://HOST:7077 [spark-submit options ...] -- COMMAND [options]
# Environment: see deploy/submit-common.sh; and TOTAL_EXECUTOR_CORES (spark.cores.max: without it the
# application takes every core of the cluster, and cannot tell when all its executors are there).
set -euo pipefail
usage_master="spark://HOST:7077"
# shellcheck source=deploy/submit-common.sh
source "$(dirname "${BASH_SOURCE[0]}")/submit-common.sh"

if [[ "${1:-}" != spark://* ]]; then
  echo "usage: $0 $usage_master [spark-submit options ...] -- COMMAND [options]" >&2
  exit 2
fi
manager_args=(--master "$1" --deploy-mode client)
shift
if [ -n "${TOTAL_EXECUTOR_CORES:-}" ]; then
  manager_args+=(--total-executor-cores "$TOTAL_EXECUTOR_CORES")
fi
submit "$@"
