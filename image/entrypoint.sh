#!/bin/bash
# bash, not sh: dash drops variables whose names hold dots, and the Deployment sets Quarkus
# properties by their own names (quarkus.tls.key-store.pem.0.cert).
# The container's entrypoint (both images: Containerfile and `make image`). No arguments starts the
# webhook server; a subcommand runs the command line: `docker run IMAGE check -f /in --strict`.
# JAVA_OPTS_APPEND comes last so that what the Deployment sets there (-Xmx) wins over the defaults.
# The heap defaults to 60% of the container's memory limit: the rest is metaspace, thread stacks,
# Netty's direct buffers and the JIT. java.io.tmpdir is /tmp, the one writable path (an emptyDir
# under a read-only root filesystem).
case "${1:-}" in
  # a short-lived command gains nothing from the optimising JIT tier or a parallel collector
  check|labels|audit|reach|help|--help|-h|--version|-V) tune="-XX:TieredStopAtLevel=1 -XX:+UseSerialGC" ;;
  *) tune="" ;;
esac
# shellcheck disable=SC2086 # flag lists
exec java -XX:MaxRAMPercentage=60 -XX:+ExitOnOutOfMemoryError -Djava.io.tmpdir=/tmp $tune \
  ${JAVA_OPTS_APPEND:-} -jar /deployments/quarkus-run.jar "$@"
