#!/usr/bin/env bash
# Runs a deep-anomaly command on Kubernetes, the driver in a pod (cluster mode); its report is in the driver
# pod's log (kubectl logs). Usage: deploy/submit-k8s.sh k8s://https://API_SERVER:443 [spark-submit options ...] -- COMMAND [options]
# Environment: see deploy/submit-common.sh; and
#   CONTAINER_IMAGE   an image with Spark 3.5 (Scala 2.12) on Java 17 and the assembly jar, e.g. FROM
#                     apache/spark:3.5.x-scala2.12-java17-ubuntu plus
#                     COPY target/spark-deep-anomaly-assembly.jar /opt/deep-anomaly/ (required)
#   DEEP_ANOMALY_JAR  where the jar is inside the image (default local:///opt/deep-anomaly/spark-deep-anomaly-assembly.jar)
#   NAMESPACE (default), SERVICE_ACCOUNT (spark: it must be allowed to create executor pods), NUM_EXECUTORS (2)
# Data and models: on storage every pod reaches (hdfs://, s3a:// with the hadoop-aws jars in the image, ...);
# a local path would be inside one pod.
set -euo pipefail
usage_master="k8s://https://API_SERVER:443"
: "${DEEP_ANOMALY_JAR:=local:///opt/deep-anomaly/spark-deep-anomaly-assembly.jar}"
export DEEP_ANOMALY_JAR
# shellcheck source=deploy/submit-common.sh
source "$(dirname "${BASH_SOURCE[0]}")/submit-common.sh"

if [[ "${1:-}" != k8s://* ]]; then
  echo "usage: $0 $usage_master [spark-submit options ...] -- COMMAND [options]" >&2
  exit 2
fi
if [ -z "${CONTAINER_IMAGE:-}" ]; then
  echo "deep-anomaly: set CONTAINER_IMAGE to an image with Spark 3.5 and $DEEP_ANOMALY_JAR" >&2
  exit 2
fi
pod_template="$home/deploy/k8s/pod-template.yaml"
# Fixed executors, as with YARN: executors taken away would take the cached minibatches with them.
manager_args=(--master "$1" --deploy-mode cluster
  --conf spark.kubernetes.container.image="$CONTAINER_IMAGE"
  --conf spark.kubernetes.namespace="${NAMESPACE:-default}"
  --conf spark.kubernetes.authenticate.driver.serviceAccountName="${SERVICE_ACCOUNT:-spark}"
  --conf spark.executor.instances="${NUM_EXECUTORS:-2}"
  --conf spark.dynamicAllocation.enabled=false
  --conf spark.kubernetes.driver.podTemplateFile="$pod_template"
  --conf spark.kubernetes.executor.podTemplateFile="$pod_template")
shift
submit "$@"
