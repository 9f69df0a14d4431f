#!/usr/bin/env bash
# Issue 5's operator scale benchmark: N APIs (default 1000) whose images already exist, reconciled
# to Deployed=True by the real operator (bin/gantry-operator, -Xmx256m, its own JVM) against
# fabric8's mock API server and a real docker-registry, both in a second JVM. Prints wall time,
# registry requests per API and operator heap after GC, with PASS/SHORT against the goals.
# Usage: bench/operator-scale.sh [N]     (from any folder; see operator/README.md "Scale benchmark")
set -euo pipefail
n="${1:-1000}"
root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
cd "$root"
command -v docker-registry >/dev/null || apt-get install -y docker-registry >/dev/null

work="$(mktemp -d -t gantry-operator-scale-XXXXXX)"
bench_pid=""
cleanup() {
  if [[ -n "$bench_pid" ]] && kill -0 "$bench_pid" 2>/dev/null; then
    kill "$bench_pid" 2>/dev/null || true   # its shutdown stops the operator, registry and mock server
    wait "$bench_pid" 2>/dev/null || true
  fi
  [[ -f "$work/operator.log" ]] && cp "$work/operator.log" "${TMPDIR:-/tmp}/gantry-operator-scale.log"
  rm -rf "$work"
}
trap cleanup EXIT INT TERM

# The operator (jar + lib for bin/gantry-operator), the bench classes, and the operator module's
# test class path: it pins Vert.x 4 for the mock server, whose watches fail on Vert.x 5.
./mvnw -q -pl operator -am -DskipTests package dependency:build-classpath \
  -Dmdep.includeScope=test -Dmdep.outputFile="$work/cp.txt"
cp="operator/target/test-classes:operator/target/classes:$(cat "$work/cp.txt")"

echo "operator scale benchmark: N=$n, $(nproc) cores, load: $(uptime | sed 's/.*load average/load average/')"
# BENCH_JAVA_OPTS adds options to this JVM (mock server, registry watcher), e.g. a flight recording;
# GANTRY_OPERATOR_JAVA_OPTS replaces the operator's (bin/gantry-operator).
# shellcheck disable=SC2086
java -Xmx2g ${BENCH_JAVA_OPTS:-} -cp "$cp" -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
  -Djava.util.logging.config.file="$root/operator/src/test/resources/logging.properties" \
  dev.gantry.operator.bench.OperatorScaleBench "$n" "$root" "$work" &
bench_pid=$!
wait "$bench_pid"
