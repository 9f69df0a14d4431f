#!/usr/bin/env bash
# The whole local slice on a fresh machine, start to finish:
#   tools → build → local registry → JRE base + Gantry's runtime/toolkit images → the quick-start
#   API's image (built, then skipped) → run it with podman in front of an nginx backend → three
#   requests: one that passes, one refused for credentials, one refused for rate limit.
#
#   scripts/demo.sh [--keep]     --keep leaves the registry, backend and gateway running
#
# Everything it makes lives under .demo/ (registry data, container storage, build output) and
# ~/.cache/gantry (the JRE base, built once with debootstrap). Needs root for apt-get on a fresh
# machine; with the tools installed it runs as any user.
set -euo pipefail
root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
work="${GANTRY_DEMO_DIR:-$root/.demo}"
registry="127.0.0.1:${GANTRY_DEMO_REGISTRY_PORT:-5000}"
backend_port=18080 gateway_port=18081 management_port=19091
keep=false; [[ "${1:-}" == "--keep" ]] && keep=true
version="$(sed -n 's:.*<version>\(.*\)</version>.*:\1:p' "$root/pom.xml" | head -1)"
say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

say "Tools"
need=()
for tool in java:openjdk-17-jdk-headless docker-registry:docker-registry podman:podman buildah:buildah \
            runc:runc skopeo:skopeo debootstrap:debootstrap nginx:nginx curl:curl; do
  command -v "${tool%%:*}" >/dev/null || need+=("${tool#*:}")
done
if ((${#need[@]})); then
  if [[ $(id -u) -ne 0 ]]; then
    echo "missing: ${need[*]}; install them (apt-get install -y ${need[*]}) or run this as root" >&2; exit 2
  fi
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi
echo "java, docker-registry, podman, buildah, nginx: present"

say "Build (./mvnw -q -DskipTests package)"
(cd "$root" && ./mvnw -q -B -DskipTests package)

mkdir -p "$work"
# podman and buildah with a project-local configuration: nothing in /etc changes.
source "$root/scripts/containers-env.sh" "$work"

pids=()
cleanup() {
  $keep && { echo "left running (--keep): registry $registry, backend :$backend_port, gateway :$gateway_port"; return; }
  podman rm -f -t 2 gantry-quickstart >/dev/null 2>&1 || true
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
}
trap cleanup EXIT

say "Registry at $registry"
if curl -sf "http://$registry/v2/" >/dev/null; then
  echo "already running"
else
  mkdir -p "$work/registry"
  cat > "$work/registry/config.yml" <<CONF
version: 0.1
storage: {filesystem: {rootdirectory: $work/registry/data}, delete: {enabled: true}}
http: {addr: $registry}
CONF
  setsid docker-registry serve "$work/registry/config.yml" >"$work/registry/registry.log" 2>&1 & pids+=($!)
  for _ in $(seq 50); do curl -sf "http://$registry/v2/" >/dev/null && break; sleep 0.2; done
  curl -sf "http://$registry/v2/" >/dev/null || { echo "registry did not start: $work/registry/registry.log" >&2; exit 1; }
  echo "started (data in $work/registry/data)"
fi

say "Gantry's own images on the debootstrap JRE base (cached in ~/.cache/gantry after the first run)"
"$root/scripts/images.sh" --registry "$registry" --insecure --from jre-base
runtime_image="$registry/gantry/runtime:$version"

say "The quick-start API's image: gantry image build"
build=("$root/bin/gantry" image build -f "$root/samples/quickstart/quickstart.yaml"
       -r "$root/samples/quickstart/resources" --registry "$registry/apis" --runtime-image "$runtime_image" --insecure)
status=0; image="$("${build[@]}")" || status=$?
# 0 built, 5 skipped (a rerun of this demo); anything else is a real failure.
[[ $status -eq 0 || $status -eq 5 ]] || exit "$status"
echo "image: $image"
say "The same build again: skipped, nothing pushed"
status=0; "${build[@]}" >/dev/null || status=$?
[[ $status -eq 5 ]] || { echo "expected exit 5 (skipped), got $status" >&2; exit 1; }

say "Per-cluster settings (environment.yaml; never in the image)"
"$root/bin/gantry" build -f "$root/samples/quickstart/quickstart.yaml" -r "$root/samples/quickstart/resources" \
  -o "$work/quickstart" >/dev/null
sed -n '1,40p' "$work/quickstart/environment.yaml"

say "Backend: nginx on 127.0.0.1:$backend_port"
mkdir -p "$work/nginx"
cat > "$work/nginx/nginx.conf" <<CONF
daemon off; worker_processes 1; pid $work/nginx/nginx.pid; error_log $work/nginx/error.log;
events {}
http { access_log off;
  server { listen 127.0.0.1:$backend_port;
    location / { default_type application/json; return 200 '{"backend":"quickstart","path":"\$uri"}\n'; } } }
CONF
nginx -c "$work/nginx/nginx.conf" -p "$work/nginx" & pids+=($!)

say "Gateway: podman run $image"
gateway_args=(/gantry/bundle --environment /etc/gantry/environment.yaml --secrets-dir /etc/gantry/secrets
              --port "$gateway_port" --management-port "$management_port")
if podman info >/dev/null 2>&1; then
  podman rm -f -t 2 gantry-quickstart >/dev/null 2>&1 || true
  podman run -d --name gantry-quickstart --tls-verify=false --network host \
    -v "$work/quickstart/environment.yaml:/etc/gantry/environment.yaml:ro" \
    -v "$root/samples/quickstart/secrets:/etc/gantry/secrets:ro" "$image" "${gateway_args[@]}" >/dev/null
  logs() { podman logs gantry-quickstart 2>&1 | tail -20; }
else
  echo "podman cannot run containers here; running the same bundle with bin/gantry run instead"
  "$root/bin/gantry" run "$work/quickstart" --secrets-dir "$root/samples/quickstart/secrets" \
    --port "$gateway_port" --management-port "$management_port" >"$work/gateway.log" 2>&1 & pids+=($!)
  logs() { tail -20 "$work/gateway.log"; }
fi
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$management_port/health/ready" >/dev/null && break; sleep 0.2; done
curl -sf "http://127.0.0.1:$management_port/health/ready" >/dev/null || { echo "gateway not ready:" >&2; logs >&2; exit 1; }
echo "ready"

base="http://127.0.0.1:$gateway_port/quickstart/v1"
request() { # expected-status description curl-args...
  local expected=$1 what=$2; shift 2
  local got; got="$(curl -s -D "$work/headers" -o "$work/body" -w '%{http_code}' "$@")"
  printf '%-58s -> %s %s\n' "$what" "$got" "$(head -c 120 "$work/body" | tr -d '\n')"
  [[ "$got" == "$expected" ]] || { echo "expected $expected" >&2; logs >&2; exit 1; }
}
say "Requests through the gateway"
request 200 "GET /orders with X-API-Key (passes)" -H "X-API-Key: $(cat "$root/samples/quickstart/secrets/quickstart-keys/keys")" "$base/orders"
request 401 "GET /orders without a key (refused: credentials)" "$base/orders"
for i in 2 3 4 5; do curl -s -o /dev/null "$base/hello"; done
request 429 "GET /hello, 6th call this minute (refused: rate limit)" "$base/hello"
grep -i '^retry-after\|^ratelimit' "$work/headers" | tr -d '\r' | sed 's/^/    /' || true

say "Done: $image"
