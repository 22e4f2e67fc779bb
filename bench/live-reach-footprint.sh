#!/usr/bin/env bash
# The live reachability state's heap in process (seconds, where the e2e memory bench takes minutes):
# see src/test/java/io/idgate/k8s/LiveReachFootprint.java. JVM options (-Dpods=N -Dpolicies=N
# -Dhistogram=PREFIX) are passed through. The serial collector, as shipped; the figure is the heap
# after a full collection, which the heap's limit does not change.
set -euo pipefail
cd "$(dirname "$0")/.."
MVN=${MVN:-./mvnw -B -ntp}
$MVN -q test-compile
$MVN -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench/classpath.txt
exec java -XX:+UseSerialGC -Xmx512m "$@" -cp "target/test-classes:target/classes:$(cat target/bench/classpath.txt)" io.idgate.k8s.LiveReachFootprint
