#!/usr/bin/env bash
# Where a review's CPU goes (docs/benchmarks.md, "Where a review's CPU goes"): the built jar, standalone,
# /mutate/pods over plain HTTP at 10 connections (wrk), profiled with async-profiler (from Maven
# Central) for 20 s after a 20 s warm-up; prints the shares of the parts of a review.
#   bench/profile/review-cpu.sh [OUT.collapsed] [JAR_DIR (default target/quarkus-app)] [BODY] [PATH]
# Compare two builds: bench/profile/shares.py A.collapsed B.collapsed.
set -euo pipefail
cd "$(dirname "$0")/../.."
out=$(realpath -m "${1:-target/bench/review-cpu.collapsed}")
app=${2:-target/quarkus-app}
body=$(realpath "${3:-examples/reviews/mutate-pod.json}")
path=${4:-/mutate/pods}
version=4.0
lib=target/bench/async-profiler/linux-x64/libasyncProfiler.so
if [ ! -f "$lib" ]; then
  ./mvnw -q -ntp dependency:get -Dartifact=tools.profiler:async-profiler:$version:jar:linux-x64
  mkdir -p target/bench/async-profiler
  (cd target/bench/async-profiler && unzip -o -q ~/.m2/repository/tools/profiler/async-profiler/$version/async-profiler-$version-linux-x64.jar)
fi
lib=$(realpath "$lib")
. e2e/tools.sh
ensure_tools wrk=wrk
[ -f certs/out/tls.crt ] || certs/gen-certs.sh --out certs/out >/dev/null
mkdir -p target/bench
java -Xmx192m -Didgate.cluster=none -Didgate.manifests=examples/cluster \
  -Dquarkus.http.host=127.0.0.1 -Dquarkus.http.port=18080 -Dquarkus.http.ssl-port=18443 -Dquarkus.http.insecure-requests=enabled \
  -Dquarkus.management.host=127.0.0.1 -Dquarkus.management.port=19001 \
  -Dquarkus.tls.key-store.pem.0.cert=certs/out/tls.crt -Dquarkus.tls.key-store.pem.0.key=certs/out/tls.key \
  -jar "$app/quarkus-run.jar" > target/bench/review-cpu-app.log 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true' EXIT
for _ in $(seq 120); do curl -s -o /dev/null http://127.0.0.1:19001/q/health/ready && break; sleep 0.5; done
export BENCH_BODY="$body"
wrk -t2 -c10 -d20s -s bench/wrk-post.lua "http://127.0.0.1:18080$path" | grep Requests/sec | sed 's/^/warm-up: /'
java bench/profile/Attach.java $pid "$lib" "start,event=cpu,interval=1ms"
wrk -t2 -c10 -d20s -s bench/wrk-post.lua "http://127.0.0.1:18080$path" > target/bench/review-cpu-wrk.txt
grep Requests/sec target/bench/review-cpu-wrk.txt | sed 's/^/profiled: /'
grep -o '[0-9]* requests in' target/bench/review-cpu-wrk.txt | cut -d' ' -f1 > "$out.requests"
java bench/profile/Attach.java $pid "$lib" "stop,file=$out,collapsed"
echo "profile: $out"
python3 bench/profile/shares.py "$out"
