#!/usr/bin/env bash
# The first review after ready, against the 1000th (docs/benchmarks.md, "First review"). Starts the
# jar standalone (examples/cluster) on 127.0.0.1 with the shipped JVM flags and the certificate of
# `make certs`, waits for /q/health/ready on the management port, then times over HTTPS with curl
# (a new connection per review, as an API server's first call makes): the first /mutate/pods, the
# first /validate/networkpolicies, then 1000 more of each, the last of which is reported.
# Usage: [JAVA=/path/to/java] bench/first-review.sh [JAR] [extra JVM flags...]   Prints one line of figures.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
jar=${1:-$root/target/quarkus-app/quarkus-run.jar}; shift || true
certs=$root/certs/out
[ -f "$certs/tls.crt" ] || "$root/certs/gen-certs.sh" --out "$certs" >/dev/null
port=${PORT:-18443}; mgmt=${MGMT_PORT:-19000}
log=$(mktemp)
start=$(date +%s%N)
# the Deployment's JVM flags and malloc settings (bench/shipped-jvm.sh), then the extra flags
# shellcheck disable=SC2068,SC2046 # flag lists
env $("$root/bench/shipped-jvm.sh" --env) ${JAVA:-java} $("$root/bench/shipped-jvm.sh" --flags) $@ -Didgate.cluster=none -Didgate.manifests="$root/examples/cluster" \
  -Dquarkus.http.host=127.0.0.1 -Dquarkus.http.ssl-port="$port" -Dquarkus.http.insecure-requests=disabled \
  -Dquarkus.management.host=127.0.0.1 -Dquarkus.management.port="$mgmt" \
  -Dquarkus.tls.key-store.pem.0.cert="$certs/tls.crt" -Dquarkus.tls.key-store.pem.0.key="$certs/tls.key" \
  -jar "$jar" >"$log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -f "$log"' EXIT
for _ in $(seq 1 600); do
  [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$mgmt/q/health/ready")" = 200 ] && break
  sleep 0.05
done
ready=$(( ($(date +%s%N) - start) / 1000000 ))
review() { curl -s -o /dev/null -w '%{time_total}' --cacert "$certs/ca.crt" -H 'Content-Type: application/json' \
  --data-binary @"$root/$2" "https://127.0.0.1:$port$1" | awk '{printf "%.1f", $1 * 1000}'; }
pod=examples/reviews/mutate-pod.json; np=examples/reviews/networkpolicy-by-app-label.json
first_pod=$(review /mutate/pods $pod); first_np=$(review /validate/networkpolicies $np)
for _ in $(seq 1 999); do review /mutate/pods $pod >/dev/null; review /validate/networkpolicies $np >/dev/null; done
last_pod=$(review /mutate/pods $pod); last_np=$(review /validate/networkpolicies $np)
echo "ready_ms=$ready first_pod_ms=$first_pod first_np_ms=$first_np 1000th_pod_ms=$last_pod 1000th_np_ms=$last_np load=$(cut -d' ' -f1 /proc/loadavg)"
