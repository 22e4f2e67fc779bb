#!/usr/bin/env bash
# make fuzz: every Jazzer target (src/test/java/io/idgate/fuzz) for FUZZ_SECONDS each (default 300),
# FUZZ_FORKS at a time (default 2), then fuzz/report.sh: target/fuzz/summary.md, copied into the
# "## Fuzzing" section of docs/security.md. A finding fails the run; its input is in target/fuzz.
set -uo pipefail
cd "$(dirname "$0")/.."
MVN=${MVN:-./mvnw -B -ntp}
seconds=${FUZZ_SECONDS:-300}
forks=${FUZZ_FORKS:-2}

rm -rf target/fuzz
$MVN -q test-compile || exit 1
load=$(cut -d' ' -f1-3 /proc/loadavg)
start=$SECONDS
# surefire:test@fuzz is the fuzz execution of the pom's fuzz profile, alone (no unit tests)
$MVN surefire:test@fuzz -Dfuzz.seconds="$seconds" -Dfuzz.forks="$forks" \
  -Dfuzz.include='io/idgate/fuzz/*FuzzTest.java' -Dfuzz.exclude=io/idgate/fuzz/AllTargetsFuzzTest.java \
  -Dfuzz.instrument='io.idgate.**,com.fasterxml.jackson.core.**,org.yaml.snakeyaml.**'
status=$?
FUZZ_WALL=$((SECONDS - start)) FUZZ_LOAD="$load" fuzz/report.sh "$seconds" "$forks"
exit $status
