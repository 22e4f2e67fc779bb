#!/usr/bin/env bash
# make soak: build, then run io.idgate.soak.Soak: idgate on a real kube-apiserver (the e2e harness)
# answers a fixed-rate mix of reviews while guardrail ConfigMaps and a ServiceAccount churn, every
# answer judged by an in-process oracle; writes target/soak/ and the "## Soak" section of
# docs/security.md; exits 1 when a criterion fails (2 when the harness itself fails).
#
#   SOAK_MINUTES (default 10), SOAK_RATE (reviews/s, default 200); further arguments go to Soak:
#   --warmup-seconds=10 --churn-seconds=3 --window-seconds=2 --heap-interval-seconds=10
#   --heap-threshold-bytes-per-minute=262144 --seed=1 --no-doc
set -euo pipefail
cd "$(dirname "$0")/.."
MVN=${MVN:-./mvnw -B -ntp}

. e2e/tools.sh
default_kube_assets
ensure_tools etcd=etcd-server xz=xz-utils

$MVN -q package -DskipTests
mkdir -p target/soak
$MVN -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/soak/classpath.txt

# the log manager the tests run with (surefire sets it too): the oracle's own decision log is silenced through it
exec java -Xmx512m -Djava.util.logging.manager=org.jboss.logmanager.LogManager \
  -cp "target/test-classes:target/classes:$(cat target/soak/classpath.txt)" \
  io.idgate.soak.Soak --minutes="${SOAK_MINUTES:-10}" --rate="${SOAK_RATE:-200}" "$@"
