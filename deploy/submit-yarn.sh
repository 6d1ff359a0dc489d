#!/usr/bin/env bash
# Runs a deep-anomaly command on YARN. Usage: deploy/submit-yarn.sh [spark-submit options ...] -- COMMAND [options]
# Environment: see deploy/submit-common.sh; and HADOOP_CONF_DIR (the cluster's configuration, required),
# NUM_EXECUTORS (2), QUEUE (default), DEPLOY_MODE (client: the report prints here; cluster: the driver runs in
# YARN and the report is in its container log, `yarn logs -applicationId ...`).
set -euo pipefail
usage_master="(yarn)"
# shellcheck source=deploy/submit-common.sh
source "$(dirname "${BASH_SOURCE[0]}")/submit-common.sh"

if [ -z "${HADOOP_CONF_DIR:-}" ]; then
  echo "deep-anomaly: set HADOOP_CONF_DIR to the directory of the cluster's core-site.xml and yarn-site.xml" >&2
  exit 2
fi
# Fixed executors: with dynamic allocation YARN would take idle executors away, and with them the cached
# minibatches that every epoch reads.
manager_args=(--master yarn --deploy-mode "${DEPLOY_MODE:-client}" --num-executors "${NUM_EXECUTORS:-2}"
  --queue "${QUEUE:-default}" --conf spark.dynamicAllocation.enabled=false)
submit "$@"
