#!/usr/bin/env bash
# The same on YARN. The driver runs here (client mode) so the reports print here; DEPLOY_MODE=cluster runs it
# in YARN, its report then in `yarn logs -applicationId ...`.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."

export SPARK_HOME=/opt/spark HADOOP_CONF_DIR=/etc/hadoop/conf
# Each container: 6 GB heap + 5 GB overhead (4 GB for ND4J + 1 GB), which YARN enforces.
export NUM_EXECUTORS=6 EXECUTOR_CORES=4 EXECUTOR_MEMORY=6g ND4J_OFF_HEAP=4g QUEUE=ml

deploy/submit-yarn.sh -- train --input hdfs:///data/transactions.parquet --label-col label \
    --model hdfs:///models/transactions-ae --overwrite --set hiddenLayers=32,8
deploy/submit-yarn.sh -- evaluate --model hdfs:///models/transactions-ae \
    --input hdfs:///data/transactions-labelled.parquet --label-col label
