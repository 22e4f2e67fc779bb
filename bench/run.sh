#!/usr/bin/env bash
# make bench: build, then run io.idgate.bench.Bench (idgate against bare Vert.x, scale curves, pod
# creates through a kube-apiserver). Arguments go to Bench: --quick, --skip-e2e, --skip-jmh, --only-http, --only-reach,
# --only-reach-memory, --only-sa-use, --only-pod-create.
# Publish figures only from a quiet machine: BENCH_MAX_LOAD (default 0.7) is the 1-minute load to wait
# for, at most BENCH_WAIT seconds (default 120); the load is recorded with every run either way.
set -euo pipefail
cd "$(dirname "$0")/.."
MVN=${MVN:-./mvnw -B -ntp}

. e2e/tools.sh
default_kube_assets
ensure_tools wrk=wrk etcd=etcd-server xz=xz-utils

$MVN -q package -DskipTests
mkdir -p target/bench
$MVN -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench/classpath.txt

max=${BENCH_MAX_LOAD:-0.7}
deadline=$((SECONDS + ${BENCH_WAIT:-120}))
until awk -v max="$max" '{exit !($1 < max)}' /proc/loadavg; do
  if [ $SECONDS -ge $deadline ]; then
    echo "[bench] machine busy (load $(cut -d' ' -f1-3 /proc/loadavg)); running anyway, the report records it" >&2
    break
  fi
  sleep 5
done

exec java -Xmx1g -cp "target/test-classes:target/classes:$(cat target/bench/classpath.txt)" io.idgate.bench.Bench "$@"
