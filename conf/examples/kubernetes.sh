#!/usr/bin/env bash
# The same on Kubernetes (cluster mode: the driver is a pod; read its report with kubectl logs). The image
# holds Spark 3.5 on Java 17 and the assembly jar at /opt/deep-anomaly/ (see deploy/submit-k8s.sh).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."

export SPARK_HOME=/opt/spark CONTAINER_IMAGE=registry.example.com/deep-anomaly:0.1.0 NAMESPACE=ml
export NUM_EXECUTORS=6 EXECUTOR_CORES=4 EXECUTOR_MEMORY=6g ND4J_OFF_HEAP=4g

deploy/submit-k8s.sh k8s://https://kubernetes.example.com:443 -- train --input hdfs://namenode:8020/data/transactions.parquet \
    --label-col label --model hdfs://namenode:8020/models/transactions-ae --overwrite
