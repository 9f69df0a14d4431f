#!/usr/bin/env bash
# Per-API image build + push: Jib (in-process, the default builder) against the Dockerfile path
# (dockerfiles/Dockerfile built by buildah bud, the context a Kaniko Job gets), on the same inputs,
# in the same run, alternating. Prints each round, the medians, the ratio Jib/Dockerfile
# (goal <= 0.1) and the time of the skip path (the image is already there).
#
#   bench/image.sh [ROUNDS]     default 5; needs the tools scripts/demo.sh installs, and a build
#
# Both builders run warm, as they do inside a long-running operator: one JVM, Jib's base-layer
# cache and buildah's image storage filled by a first, untimed round; only the build-and-push call
# is timed. Every timed round pushes to a fresh repository, so nothing is skipped by accident.
set -euo pipefail
root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
rounds="${1:-5}"
work="$(mktemp -d /tmp/gantry-image-bench.XXXXXX)"
port="${GANTRY_BENCH_REGISTRY_PORT:-5055}"
registry="127.0.0.1:$port"
version="$(sed -n 's:.*<version>\(.*\)</version>.*:\1:p' "$root/pom.xml" | head -1)"
api=(-f "$root/samples/quickstart/quickstart.yaml" -r "$root/samples/quickstart/resources")

# podman and buildah with a project-local configuration: nothing in /etc changes.
source "$root/scripts/containers-env.sh" "$work"
export GANTRY_RUNTIME_IMAGE="$registry/gantry/runtime:$version" GANTRY_TOOLKIT_IMAGE="$registry/gantry/toolkit:$version"

cat > "$work/registry.yml" <<CONF
version: 0.1
storage: {filesystem: {rootdirectory: $work/data}}
http: {addr: $registry}
log: {level: error}
CONF
setsid docker-registry serve "$work/registry.yml" >"$work/registry.log" 2>&1 &
registry_pid=$!
trap 'kill $registry_pid 2>/dev/null; buildah rm --all >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
for _ in $(seq 50); do curl -sf "http://$registry/v2/" >/dev/null && break; sleep 0.2; done

"$root/scripts/images.sh" --registry "$registry" --insecure --from jre-base >/dev/null

# The builders in one warm JVM, as the operator runs them (bench/ImageBench.java).
lib="$root/toolkit/target/lib"
java -cp "$root/toolkit/target/gantry-toolkit.jar:$lib/*" "$root/bench/ImageBench.java" \
  "$registry" "$GANTRY_RUNTIME_IMAGE" "$GANTRY_TOOLKIT_IMAGE" "$rounds" "$root"

# What a CI pipeline sees for the skip path: the CLI, JVM start included.
start=$(date +%s.%N); status=0
"$root/bin/gantry" image build "${api[@]}" --registry "$registry/r1-jib" --insecure >/dev/null 2>&1 || status=$?
end=$(date +%s.%N)
[[ $status -eq 5 ]] || { echo "expected the CLI to skip (exit 5), got $status" >&2; exit 1; }
printf 'skip path from the CLI (gantry image build, JVM start included): %.2f s\n' "$(echo "$end - $start" | bc)"
