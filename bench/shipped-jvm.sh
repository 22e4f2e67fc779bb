#!/usr/bin/env bash
# What the Deployment (k8s/base/deployment.yaml) gives idgate's JVM, read from the manifest so that
# `make run` and the bench scripts run what ships (the Java side: io.idgate.testing.ShippedJvm):
#   bench/shipped-jvm.sh --flags   JAVA_OPTS_APPEND, one line of JVM flags
#   bench/shipped-jvm.sh --env     the C library's settings (MALLOC_*), as NAME=VALUE words for env(1)
set -euo pipefail
deployment="$(cd "$(dirname "$0")/.." && pwd)/k8s/base/deployment.yaml"
case "${1:-}" in
  --flags) sed -n 's/^ *- {name: JAVA_OPTS_APPEND, value: "\(.*\)"}.*$/\1/p' "$deployment" ;;
  --env) sed -n 's/^ *- {name: \(MALLOC_[A-Z_]*\), value: "\([^"]*\)"}.*$/\1=\2/p' "$deployment" | paste -sd' ' - ;;
  *) echo "usage: $0 --flags | --env" >&2; exit 2 ;;
esac
