#!/usr/bin/env bash
# Train, evaluate and score on a Spark standalone cluster, data and models on HDFS. A sketch to copy from:
# set the addresses, the paths and the sizes to yours (deploy/submit-common.sh explains each size).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."

export SPARK_HOME=/opt/spark              # Spark 3.5.x for Scala 2.12, on Java 17
master=spark://spark-master:7077
hdfs=hdfs://namenode:8020

# 3 workers of 8 cores: 2 executors of 4 cores each, i.e. 24 training replicas averaged every 10 minibatches
export EXECUTOR_CORES=4 EXECUTOR_MEMORY=6g ND4J_OFF_HEAP=4g TOTAL_EXECUTOR_CORES=24

# Every numeric column except the label; the model is written atomically (an interrupted save keeps the old one).
deploy/submit-standalone.sh "$master" -- train --input "$hdfs/data/transactions.parquet" --label-col label \
    --model "$hdfs/models/transactions-ae" --overwrite \
    --set hiddenLayers=32,8 --set maxIter=20 --set batchSize=256 --set contamination=0.01

# AUC-ROC, AUC-PR, precision@k, F1; the last line of stdout is JSON: ... | tail -n 1 | jq .aucRoc
deploy/submit-standalone.sh "$master" -- evaluate --model "$hdfs/models/transactions-ae" \
    --input "$hdfs/data/transactions-labelled.parquet" --label-col label

# Appends anomalyScore and prediction to every row.
deploy/submit-standalone.sh "$master" --conf spark.sql.shuffle.partitions=200 -- score \
    --model "$hdfs/models/transactions-ae" --input "$hdfs/data/today.parquet" --output "$hdfs/scores/today" --overwrite
