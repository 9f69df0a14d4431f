#!/usr/bin/env bash
# Side-by-side benchmark: Gantry gateway (JWT + rate limit + proxy) vs nginx as a plain keep-alive
# reverse proxy, both in front of the same nginx static-JSON upstream, driven by wrk on loopback in
# alternating rounds. Prints medians, ratios and PASS/SHORT against the goals. Exit 0 when the
# benchmark ran (goals missed or not), non-zero when something is broken.
#
#   bench/gateway.sh                                   # from the repo root
#   GANTRY_ROOT=/tmp/bench-src /work/main/bench/gateway.sh   # bench another checkout
#
# Environment: DURATION (10s) WARMUP (30s) CONNECTIONS (64) THREADS (1) ROUNDS (3)
#   GATEWAY_INSTANCES (nproc) NGINX_WORKERS (1: the proxy nginx's worker_processes) REFERENCE (none, or a comma list of: vertx = also bench bench/MinimalProxy.java,
#   a bare Vert.x proxy; netty = also bench bench/NettyProxy.java, a bare raw-Netty proxy)
#   BASELINE_ROOT (another built checkout: its gateway runs in the same rounds, an A/B of a change; with CDS=0)
#   BASELINE_JAVA_OPTS (the baseline gateway's flags; default: the gateway's. With BASELINE_ROOT=. an A/B of flags)
#   CDS (0; 1 = also an AppCDS archive, which the shipped images do not have)
#   GANTRY_JAVA_OPTS (default: runtime-image/jvm.options, what bin/gantry and the runtime image use) GANTRY_ROOT (repo root; default: this script's repo)
#   UPSTREAM_PORT/NGINX_PORT/GATEWAY_PORT/MANAGEMENT_PORT (18081..18084) KEEP_WORKDIR=1 (debug)
set -euo pipefail

BENCH_DIR="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)"
ROOT="$(cd "${GANTRY_ROOT:-$BENCH_DIR/..}" && pwd)"
FIXTURES="$BENCH_DIR/fixtures"

DURATION="${DURATION:-10s}"
CONNECTIONS="${CONNECTIONS:-64}"
THREADS="${THREADS:-1}"
ROUNDS="${ROUNDS:-3}"
WARMUP="${WARMUP:-30s}"   # C2 needs ~30 s of load on 2 shared CPUs to settle
CDS="${CDS:-0}"   # 1: an AppCDS archive from a training start (the images do not ship one)
GATEWAY_INSTANCES="${GATEWAY_INSTANCES:-$(nproc)}"
NGINX_WORKERS="${NGINX_WORKERS:-1}"   # the nginx proxy's worker_processes (the upstream nginx keeps 1)
# The flags the gateway ships with (bin/gantry and the runtime image), unless GANTRY_JAVA_OPTS says otherwise.
JAVA_OPTS_GATEWAY="${GANTRY_JAVA_OPTS:-$(grep -v '^#' "$ROOT/runtime-image/jvm.options")}"
JAVA_OPTS_BASELINE="${BASELINE_JAVA_OPTS:-$JAVA_OPTS_GATEWAY}"
unset GANTRY_JAVA_OPTS   # only `gantry run` gets the gateway flags; `gantry build` keeps its own defaults
UPSTREAM_PORT="${UPSTREAM_PORT:-18081}"
NGINX_PORT="${NGINX_PORT:-18082}"
GATEWAY_PORT="${GATEWAY_PORT:-18083}"
MANAGEMENT_PORT="${MANAGEMENT_PORT:-18084}"
VERTX_PORT="${VERTX_PORT:-18085}"
NETTY_PORT="${NETTY_PORT:-18088}"
BASELINE_ROOT="${BASELINE_ROOT:-}"
BASELINE_PORT="${BASELINE_PORT:-18086}"
BASELINE_MANAGEMENT_PORT="${BASELINE_MANAGEMENT_PORT:-18087}"
REFERENCE="${REFERENCE:-none}"
reference() { [[ ",$REFERENCE," == *",$1,"* ]]; }   # reference vertx|netty: is that yardstick on?
for ref in ${REFERENCE//,/ }; do
  [[ "$ref" == none || "$ref" == vertx || "$ref" == netty ]] || { echo "REFERENCE: none, vertx, netty or vertx,netty, not '$REFERENCE'" >&2; exit 1; }
done
URL_PATH=/bench/hello

# Goals.
GOAL_RPS_RATIO=1.0     # gantry/nginx req/s, at least
GOAL_P99_RATIO=1.2     # gantry/nginx p99, at most
GOAL_RSS_MIB=96        # idle RSS after warm-up, at most
GOAL_READY_MS=1500     # process launch to first 200 on /health/ready, at most

log() { printf '[bench] %s\n' "$*" >&2; }
die() { printf '[bench] BROKEN: %s\n' "$*" >&2; exit 1; }

# ---------------------------------------------------------------- cleanup
WORK=""
PIDS=()
cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  local pid
  for pid in "${PIDS[@]}"; do
    kill -TERM "$pid" 2>/dev/null || true   # nginx master stops its worker; gantry runs its shutdown hook
  done
  for pid in "${PIDS[@]}"; do
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  if [[ -n "$WORK" && -d "$WORK" ]]; then
    if [[ "${KEEP_WORKDIR:-0}" == 1 ]]; then log "work dir kept: $WORK"; else rm -rf "$WORK"; fi
  fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# ---------------------------------------------------------------- 1. prerequisites
need=()
for cmd in nginx wrk openssl curl; do command -v "$cmd" >/dev/null || need+=("$cmd"); done
command -v java >/dev/null || need+=(openjdk-17-jdk-headless)
if ((${#need[@]})); then
  log "installing ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -qq "${need[@]}" >/dev/null 2>&1 \
    || { apt-get update -qq >/dev/null && apt-get install -y -qq "${need[@]}" >/dev/null; } \
    || die "apt-get install ${need[*]} failed"
fi
# Debian's package may start a system nginx; ours run with their own prefix and ports, so that is harmless.
if [[ ! -f "$ROOT/runtime-image/target/gantry-runtime.jar" || ! -f "$ROOT/toolkit/target/gantry-toolkit.jar" ]]; then
  log "building the project in $ROOT (./mvnw -q -DskipTests package)"
  (cd "$ROOT" && ./mvnw -q -DskipTests package) || die "build failed"
fi

for port in "$UPSTREAM_PORT" "$NGINX_PORT" "$GATEWAY_PORT" "$MANAGEMENT_PORT" "$VERTX_PORT" "$NETTY_PORT" "$BASELINE_PORT" "$BASELINE_MANAGEMENT_PORT"; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then die "port $port is already in use"; fi
done

# Other jobs on the machine make the figures noisy: measure how busy it is before we start.
cpu_busy_pct() { # over 1 s, all CPUs
  local a b
  read -r -a a < <(head -1 /proc/stat); sleep 1; read -r -a b < <(head -1 /proc/stat)
  awk -v u="$(( (b[1]+b[2]+b[3]+b[6]+b[7]) - (a[1]+a[2]+a[3]+a[6]+a[7]) ))" \
      -v t="$(( (b[1]+b[2]+b[3]+b[4]+b[5]+b[6]+b[7]+b[8]) - (a[1]+a[2]+a[3]+a[4]+a[5]+a[6]+a[7]+a[8]) ))" \
      'BEGIN { printf "%.0f", (t > 0 ? 100 * u / t : 0) }'
}
BUSY_BEFORE=$(cpu_busy_pct)
((BUSY_BEFORE < 10)) || log "warning: the machine is already ${BUSY_BEFORE}% busy before the benchmark; figures will be noisy"

WORK="$(mktemp -d "${TMPDIR:-/tmp}/gantry-bench.XXXXXX")"
chmod 755 "$WORK"

now_ms() { echo $(($(date +%s%N) / 1000000)); }

# wait_http URL STATUS TIMEOUT_S PID: polls until URL answers STATUS; fails if PID dies.
wait_http() {
  local url=$1 want=$2 timeout=$3 pid=$4 deadline code
  deadline=$(($(now_ms) + timeout * 1000))
  while (($(now_ms) < deadline)); do
    kill -0 "$pid" 2>/dev/null || return 1
    code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 1 "$url" 2>/dev/null || true)
    [[ "$code" == "$want" ]] && return 0
    sleep 0.01
  done
  return 1
}

# wait_ready PORT PATH TIMEOUT_S PID: as wait_http, for timing a start: bash's /dev/tcp, a FIFO read as
# the 10 ms sleep and $EPOCHREALTIME as the clock, so the poll forks nothing (curl's fork and exec
# every 10 ms took ~150 ms of the 2 CPUs from the JVM being measured).
wait_ready() {
  local port=$1 path=$2 pid=$4 deadline line now
  now=${EPOCHREALTIME/./}; deadline=$((now + $3 * 1000000))
  [[ -p "$WORK/tick" ]] || mkfifo "$WORK/tick"
  exec 4<>"$WORK/tick"
  while ((${EPOCHREALTIME/./} < deadline)); do
    kill -0 "$pid" 2>/dev/null || { exec 4<&-; return 1; }
    if exec 3<>"/dev/tcp/127.0.0.1/$port"; then
      printf 'GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n' "$path" >&3
      line=""; read -r -t 1 line <&3 || true
      exec 3<&-
      [[ "$line" == "HTTP/1.1 200"* ]] && { exec 4<&-; return 0; }
    fi 2>/dev/null
    read -r -t 0.01 -u 4 || true
  done
  exec 4<&-
  return 1
}

# ---------------------------------------------------------------- 2-3. nginx upstream and nginx proxy
nginx_user=""
[[ $EUID -eq 0 ]] && nginx_user="user root;"   # workers must read files in a 0700 TMPDIR too

nginx_conf() { # nginx_conf NAME SERVER_BLOCK [HTTP_EXTRA] [WORKERS]
  local dir="$WORK/$1"
  mkdir -p "$dir/logs" "$dir/tmp"
  cat > "$dir/nginx.conf" <<EOF
$nginx_user
worker_processes ${4:-1};
daemon off;
pid $dir/nginx.pid;
error_log $dir/logs/error.log warn;
events { worker_connections 4096; multi_accept on; }
http {
  access_log off;
  server_tokens off;
  client_body_temp_path $dir/tmp/body;
  proxy_temp_path $dir/tmp/proxy;
  fastcgi_temp_path $dir/tmp/fastcgi;
  uwsgi_temp_path $dir/tmp/uwsgi;
  scgi_temp_path $dir/tmp/scgi;
  keepalive_requests 10000000;
  keepalive_timeout 300s;
  ${3:-}
  $2
}
EOF
}

start_nginx() { # start_nginx NAME PORT
  local dir="$WORK/$1"
  nginx -t -q -e "$dir/logs/error.log" -p "$dir" -c "$dir/nginx.conf" >"$dir/logs/stderr.log" 2>&1 \
    || die "$1 nginx config invalid: $(cat "$dir/logs/stderr.log")"
  nginx -e "$dir/logs/error.log" -p "$dir" -c "$dir/nginx.conf" >>"$dir/logs/stderr.log" 2>&1 &
  local pid=$!
  PIDS+=("$pid")
  eval "${1//-/_}_PID=$pid"
}

mkdir -p "$WORK/www"
printf '{"ok":true}\n' > "$WORK/www/ok.json"   # 12 bytes
chmod 644 "$WORK/www/ok.json"

nginx_conf upstream "server {
    listen 127.0.0.1:$UPSTREAM_PORT backlog=4096;
    root $WORK/www;
    location / { default_type application/json; try_files /ok.json =404; }
  }"
start_nginx upstream

nginx_conf proxy "server {
    listen 127.0.0.1:$NGINX_PORT backlog=4096;
    location / {
      proxy_pass http://bench_upstream;
      proxy_http_version 1.1;
      proxy_set_header Connection \"\";
      proxy_set_header X-Forwarded-For \$remote_addr;
      proxy_set_header X-Forwarded-Proto \$scheme;
    }
  }" "upstream bench_upstream { server 127.0.0.1:$UPSTREAM_PORT; keepalive 128; keepalive_requests 10000000; keepalive_timeout 300s; }" "$NGINX_WORKERS"
start_nginx proxy

wait_http "http://127.0.0.1:$UPSTREAM_PORT$URL_PATH" 200 10 "$upstream_PID" \
  || die "upstream nginx did not start: $(cat "$WORK/upstream/logs/"*.log)"
wait_http "http://127.0.0.1:$NGINX_PORT$URL_PATH" 200 10 "$proxy_PID" \
  || die "proxy nginx did not start: $(cat "$WORK/proxy/logs/"*.log)"
log "nginx upstream on :$UPSTREAM_PORT (pid $upstream_PID), nginx proxy on :$NGINX_PORT (pid $proxy_PID)"

# ---------------------------------------------------------------- 4. keys, token, bundle, gateway
b64url() { openssl base64 -A | tr '+/' '-_' | tr -d '='; }
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$WORK/jwt.key" -out "$WORK/jwt.crt" -days 3650 \
  -subj "/CN=bench-jwt-issuer" >/dev/null 2>&1 || die "openssl could not make the JWT key"
header=$(printf '{"alg":"RS256","typ":"JWT","kid":"bench"}' | b64url)
payload=$(printf '{"iss":"https://issuer.bench.local/","aud":"gantry-bench","sub":"bench-user","iat":%d,"exp":4102444800,"scope":"bench:read other"}' \
  "$(date +%s)" | b64url)
signature=$(printf '%s.%s' "$header" "$payload" | openssl dgst -sha256 -sign "$WORK/jwt.key" -binary | b64url)
TOKEN="$header.$payload.$signature"
mkdir -p "$WORK/secrets/bench-jwt-cert"
cp "$WORK/jwt.crt" "$WORK/secrets/bench-jwt-cert/tls.crt"

mkdir -p "$WORK/resources"
sed "s|@UPSTREAM_URL@|http://127.0.0.1:$UPSTREAM_PORT|" "$FIXTURES/resources/bench-resources.yaml" \
  > "$WORK/resources/bench-resources.yaml"
"$ROOT/bin/gantry" build -f "$FIXTURES/bench-api.yaml" -r "$WORK/resources" -o "$WORK/out" \
  >"$WORK/build.log" 2>&1 || die "gantry build failed: $(cat "$WORK/build.log")"

run_gateway() { # run_gateway ROOT BUNDLE PORT MANAGEMENT_PORT LOG JAVA_OPTS: bin/gantry run in the background, sets STARTED_PID
  GANTRY_JAVA_OPTS="$6" "$1/bin/gantry" run "$2" --host 127.0.0.1 --port "$3" --management-port "$4" \
    --secrets-dir "$WORK/secrets" --no-access-log --instances "$GATEWAY_INSTANCES" --shutdown-grace 2 \
    >"$5" 2>&1 &
  STARTED_PID=$!
  PIDS+=("$STARTED_PID")
}
start_gantry() { # start_gantry LOG JAVA_OPTS: this checkout's gateway on GATEWAY_PORT, sets GANTRY_PID
  run_gateway "$ROOT" "$WORK/out" "$GATEWAY_PORT" "$MANAGEMENT_PORT" "$1" "$2"
  GANTRY_PID=$STARTED_PID
}

# AppCDS (CDS=1): a training start (ready, one 401 and one 200, stop) dumps the loaded classes to an
# archive that the measured start maps, as an image build would. JVM flags only; no code change.
CDS_NOTE="no AppCDS"
RUN_OPTS="$JAVA_OPTS_GATEWAY"
if [[ "$CDS" == 1 ]]; then
  start_gantry "$WORK/cds-training.log" \
    "$JAVA_OPTS_GATEWAY -XX:ArchiveClassesAtExit=$WORK/gantry.jsa -Xlog:cds=off,cds+dynamic=off"
  wait_http "http://127.0.0.1:$MANAGEMENT_PORT/health/ready" 200 60 "$GANTRY_PID" \
    || die "gantry (AppCDS training start) did not become ready: $(cat "$WORK/cds-training.log")"
  curl -s -o /dev/null "http://127.0.0.1:$GATEWAY_PORT$URL_PATH" || true
  curl -s -o /dev/null -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$GATEWAY_PORT$URL_PATH" || true
  kill -TERM "$GANTRY_PID"; wait "$GANTRY_PID" 2>/dev/null || true
  live=(); for pid in "${PIDS[@]}"; do [[ "$pid" == "$GANTRY_PID" ]] || live+=("$pid"); done; PIDS=("${live[@]}")
  if [[ -s "$WORK/gantry.jsa" ]]; then
    RUN_OPTS="$JAVA_OPTS_GATEWAY -XX:SharedArchiveFile=$WORK/gantry.jsa"
    CDS_NOTE="+ AppCDS archive dumped by a training start"
  else
    log "warning: no AppCDS archive was written; measuring without it"
  fi
fi

log "starting gantry: --instances $GATEWAY_INSTANCES, GANTRY_JAVA_OPTS='$RUN_OPTS'"
# Start-to-ready is measured with the class path in the page cache, as for a pod whose image layers
# were just pulled or run before: the first start after the machine sat idle for hours read 4.3 s
# from disk (2.6 s self-reported), the next ones 1.16 s.
cat "$ROOT/runtime-image/target/gantry-runtime.jar" "$ROOT"/runtime-image/target/lib/*.jar "$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")"/lib/modules \
  >/dev/null 2>&1 || true
launched=$(now_ms)
start_gantry "$WORK/gantry.log" "$RUN_OPTS"
wait_ready "$MANAGEMENT_PORT" /health/ready 60 "$GANTRY_PID" \
  || die "gantry did not become ready: $(cat "$WORK/gantry.log")"
READY_MS=$(($(now_ms) - launched))
rss_mib() { awk '/^VmRSS:/ {printf "%.1f", $2 / 1024}' "/proc/${1:-$GANTRY_PID}/status"; }
sleep 2
RSS_START=$(rss_mib)
SELF_READY=$(sed -n 's/.*ready in \([0-9]*\) ms.*/\1/p' "$WORK/gantry.log" | head -1)
log "gantry ready on :$GATEWAY_PORT (pid $GANTRY_PID) in ${READY_MS} ms (self-reported ${SELF_READY:-?} ms), RSS ${RSS_START} MiB"

# ---------------------------------------------------------------- 5. correctness
GW_URL="http://127.0.0.1:$GATEWAY_PORT$URL_PATH"
NG_URL="http://127.0.0.1:$NGINX_PORT$URL_PATH"
expected=$(curl -sf "http://127.0.0.1:$UPSTREAM_PORT$URL_PATH") || die "upstream request failed"
check() { # check NAME WANT_STATUS WANT_BODY|'' CURL_ARGS...
  local name=$1 want=$2 body=$3 code
  shift 3
  code=$(curl -s -o "$WORK/check.body" -w '%{http_code}' --max-time 5 "$@" || true)
  [[ "$code" == "$want" ]] || die "$name: status $code, expected $want (body: $(head -c 300 "$WORK/check.body" 2>/dev/null))"
  if [[ -n "$body" && "$(cat "$WORK/check.body")" != "$body" ]]; then
    die "$name: body '$(head -c 300 "$WORK/check.body")' differs from the upstream's '$body'"
  fi
  log "ok: $name -> $code"
}
check "gantry without token" 401 "" "$GW_URL"
check "gantry with a forged token" 401 "" -H "Authorization: Bearer $header.$payload.${signature:0:-4}AAAA" "$GW_URL"
check "gantry with token" 200 "$expected" -H "Authorization: Bearer $TOKEN" "$GW_URL"
check "nginx proxy with token" 200 "$expected" -H "Authorization: Bearer $TOKEN" "$NG_URL"

# Optional yardsticks, same JVM flags as the gateway and no AppCDS, measured in the same run as the gap
# to nginx: the minimal Vert.x proxy (Gantry's gap to bare Vert.x) and the raw-Netty proxy (what a JVM
# data plane without Vert.x's HTTP layer reaches).
start_yardstick() { # start_yardstick NAME LABEL PORT SOURCE: java SOURCE PORT upstream, sets NAME_PID
  # shellcheck disable=SC2086
  java $JAVA_OPTS_GATEWAY -cp "$ROOT/runtime-image/target/gantry-runtime.jar:$ROOT/runtime-image/target/lib/*" \
    "$BENCH_DIR/$4" "$3" 127.0.0.1 "$UPSTREAM_PORT" "$GATEWAY_INSTANCES" >"$WORK/$1.log" 2>&1 &
  local pid=$! url="http://127.0.0.1:$3$URL_PATH"
  PIDS+=("$pid")
  eval "${1^^}_PID=$pid"
  wait_http "$url" 200 60 "$pid" || die "$2 did not start: $(cat "$WORK/$1.log")"
  log "$2 on :$3 (pid $pid): $(head -1 "$WORK/$1.log")"
  check "$2 with token" 200 "$expected" -H "Authorization: Bearer $TOKEN" "$url"
}
VX_URL="http://127.0.0.1:$VERTX_PORT$URL_PATH"
NT_URL="http://127.0.0.1:$NETTY_PORT$URL_PATH"
if reference vertx; then start_yardstick vertx "minimal Vert.x proxy" "$VERTX_PORT" MinimalProxy.java; fi
if reference netty; then start_yardstick netty "raw Netty proxy" "$NETTY_PORT" NettyProxy.java; fi

# Optional A/B contender: the gateway of another, built checkout (BASELINE_ROOT, e.g. main before a
# change) with its own compile of the same fixtures and the same flags, without AppCDS: run with
# CDS=0 for a like-for-like comparison. Its CPU per request beside this checkout's is the A/B figure.
BL_URL="http://127.0.0.1:$BASELINE_PORT$URL_PATH"
if [[ -n "$BASELINE_ROOT" ]]; then
  [[ -f "$BASELINE_ROOT/runtime-image/target/gantry-runtime.jar" ]] \
    || die "BASELINE_ROOT $BASELINE_ROOT is not built: run ./mvnw -q -DskipTests package there"
  "$BASELINE_ROOT/bin/gantry" build -f "$FIXTURES/bench-api.yaml" -r "$WORK/resources" -o "$WORK/baseline-out" \
    >"$WORK/baseline-build.log" 2>&1 || die "baseline gantry build failed: $(cat "$WORK/baseline-build.log")"
  run_gateway "$BASELINE_ROOT" "$WORK/baseline-out" "$BASELINE_PORT" "$BASELINE_MANAGEMENT_PORT" "$WORK/baseline.log" \
    "$JAVA_OPTS_BASELINE"
  BASELINE_PID=$STARTED_PID
  wait_http "http://127.0.0.1:$BASELINE_MANAGEMENT_PORT/health/ready" 200 60 "$BASELINE_PID" \
    || die "baseline gantry did not become ready: $(cat "$WORK/baseline.log")"
  log "baseline gantry from $BASELINE_ROOT on :$BASELINE_PORT (pid $BASELINE_PID)"
  check "baseline gantry with token" 200 "$expected" -H "Authorization: Bearer $TOKEN" "$BL_URL"
fi

# ---------------------------------------------------------------- 6. load, alternating
to_ms() { # wrk prints 812.00us, 3.21ms, 1.02s, 1.50m
  awk -v v="$1" 'BEGIN {
    n = v + 0; u = v; sub(/^[0-9.]+/, "", u)
    if (u == "us") n /= 1000; else if (u == "s") n *= 1000; else if (u == "m") n *= 60000; else if (u == "h") n *= 3600000
    else if (u != "ms") { print "bad"; exit }
    printf "%.3f", n }'
}

# CPU ticks (utime + stime, all threads) of a process and its child processes (nginx: master + worker).
cpu_ticks() {
  local pid total=0 t
  for pid in "$@" $(pgrep -P "$1" 2>/dev/null || true); do
    t=$(awk '{print $14 + $15}' "/proc/$pid/stat" 2>/dev/null || echo 0)
    total=$((total + t))
  done
  echo "$total"
}
CLK_TCK=$(getconf CLK_TCK)
contender_pid() {
  case $1 in nginx) echo "$proxy_PID" ;; gantry) echo "$GANTRY_PID" ;; vertx) echo "$VERTX_PID" ;; netty) echo "$NETTY_PID" ;; baseline) echo "$BASELINE_PID" ;; esac
}

RUN=0
# run_wrk NAME URL -> appends "rps p50 p99 cpu_us_per_request" to $WORK/NAME.results (unless warm-up).
# CPU per request (the proxy's own CPU over the requests wrk counted) moves far less with other jobs
# on the machine than req/s does: it is the figure to compare builds by.
run_wrk() {
  local name=$1 url=$2 record=$3 out ticks_before ticks_after pid
  RUN=$((RUN + 1))
  pid=$(contender_pid "$name")
  ticks_before=$(cpu_ticks "$pid")
  out="$WORK/wrk.$RUN.$name.txt"
  local duration=$DURATION
  [[ "$record" == warmup ]] && duration=$WARMUP
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"$duration" --latency -H "Authorization: Bearer $TOKEN" "$url" >"$out" 2>&1 \
    || die "wrk against $name failed: $(cat "$out")"
  if grep -q 'Non-2xx or 3xx responses' "$out"; then die "$name: $(grep 'Non-2xx' "$out" | xargs)"; fi
  if grep -q 'Socket errors' "$out"; then die "$name: $(grep 'Socket errors' "$out" | xargs)"; fi
  ticks_after=$(cpu_ticks "$pid")
  local rps p50 p99 requests cpu_us
  rps=$(awk '/^Requests\/sec:/ {print $2}' "$out")
  requests=$(awk '$2 == "requests" && $3 == "in" {print $1}' "$out")
  cpu_us=$(awk -v t=$((ticks_after - ticks_before)) -v hz="$CLK_TCK" -v n="${requests:-0}" \
    'BEGIN { printf "%.1f", (n > 0 ? t / hz * 1e6 / n : 0) }')
  p50=$(to_ms "$(awk '$1 == "50%" {print $2}' "$out")")
  p99=$(to_ms "$(awk '$1 == "99%" {print $2}' "$out")")
  [[ -n "$rps" && "$p50" != bad && "$p99" != bad && -n "$p50" && -n "$p99" ]] || die "cannot parse wrk output: $(cat "$out")"
  awk -v r="$rps" 'BEGIN { exit !(r > 0) }' || die "$name served no requests"
  kill -0 "$GANTRY_PID" 2>/dev/null || die "gantry died: $(tail -20 "$WORK/gantry.log")"
  log "$(printf '%-6s %-8s %10.0f req/s  p50 %7.3f ms  p99 %7.3f ms  CPU %5.1f us/req' "$name" "$record" "$rps" "$p50" "$p99" "$cpu_us")"
  [[ "$record" == warmup ]] || echo "$rps $p50 $p99 $cpu_us" >> "$WORK/$name.results"
}

log "wrk -t$THREADS -c$CONNECTIONS -d$DURATION --latency; warm-up, then $ROUNDS alternating rounds"
run_wrk nginx "$NG_URL" warmup
run_wrk gantry "$GW_URL" warmup
reference vertx && run_wrk vertx "$VX_URL" warmup
reference netty && run_wrk netty "$NT_URL" warmup
[[ -n "$BASELINE_ROOT" ]] && run_wrk baseline "$BL_URL" warmup
sleep 3
RSS_IDLE=$(rss_mib)
[[ -n "$BASELINE_ROOT" ]] && RSS_IDLE_BASELINE=$(rss_mib "$BASELINE_PID")
for r in $(seq "$ROUNDS"); do
  run_wrk nginx "$NG_URL" "round $r"
  run_wrk gantry "$GW_URL" "round $r"
  reference vertx && run_wrk vertx "$VX_URL" "round $r"
  reference netty && run_wrk netty "$NT_URL" "round $r"
  [[ -n "$BASELINE_ROOT" ]] && run_wrk baseline "$BL_URL" "round $r"
done
BUSY_AFTER=$(cpu_busy_pct)
check "gantry with token after load" 200 "$expected" -H "Authorization: Bearer $TOKEN" "$GW_URL"
UNHANDLED=$(grep -c 'Unhandled exception' "$WORK/gantry.log" || true)
GANTRY_ERRORS=$(grep -ciE 'exception|error' "$WORK/gantry.log" || true)

# ---------------------------------------------------------------- 7. report
median() { # median FILE COLUMN
  awk -v c="$2" '{print $c}' "$1" | sort -g | awk '{a[NR] = $1} END { if (NR % 2) print a[(NR + 1) / 2]; else print (a[NR / 2] + a[NR / 2 + 1]) / 2 }'
}
verdict() { # verdict VALUE GOAL ge|le
  awk -v v="$1" -v g="$2" -v op="$3" 'BEGIN { ok = (op == "ge") ? v >= g : v <= g; print ok ? "PASS" : "SHORT" }'
}
ng_rps=$(median "$WORK/nginx.results" 1); ng_p50=$(median "$WORK/nginx.results" 2); ng_p99=$(median "$WORK/nginx.results" 3)
gw_rps=$(median "$WORK/gantry.results" 1); gw_p50=$(median "$WORK/gantry.results" 2); gw_p99=$(median "$WORK/gantry.results" 3)
ng_cpu=$(median "$WORK/nginx.results" 4); gw_cpu=$(median "$WORK/gantry.results" 4)
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.3f", (b > 0 ? a / b : 0)}'; }
rps_ratio=$(awk -v a="$gw_rps" -v b="$ng_rps" 'BEGIN {printf "%.3f", a / b}')
p99_ratio=$(awk -v a="$gw_p99" -v b="$ng_p99" 'BEGIN {printf "%.3f", a / b}')
p50_ratio=$(awk -v a="$gw_p50" -v b="$ng_p50" 'BEGIN {printf "%.3f", a / b}')

echo
echo "Gantry vs nginx keep-alive proxy -- wrk -t$THREADS -c$CONNECTIONS -d$DURATION, median of $ROUNDS alternating rounds, $(nproc) CPUs"
echo "nginx proxy: $NGINX_WORKERS worker(s); gantry: --instances $GATEWAY_INSTANCES, GANTRY_JAVA_OPTS='$JAVA_OPTS_GATEWAY' $CDS_NOTE"
echo "        JWT RS256 (verified-token cache) + rate limit + proxy; upstream: nginx static 12-byte JSON"
printf '%-22s %12s %10s %10s %14s\n' "" "req/s" "p50 ms" "p99 ms" "CPU us/req"
printf '%-22s %12.0f %10.3f %10.3f %14.1f\n' "nginx proxy" "$ng_rps" "$ng_p50" "$ng_p99" "$ng_cpu"
printf '%-22s %12.0f %10.3f %10.3f %14.1f\n' "gantry" "$gw_rps" "$gw_p50" "$gw_p99" "$gw_cpu"
printf '%-22s %12s %10s %10s %14s\n' "gantry/nginx" "$rps_ratio" "$p50_ratio" "$p99_ratio" "$(ratio "$gw_cpu" "$ng_cpu")"
row() { # row LABEL NAME: the medians of contender NAME
  local f="$WORK/$2.results"
  printf '%-22s %12.0f %10.3f %10.3f %14.1f\n' "$1" "$(median "$f" 1)" "$(median "$f" 2)" "$(median "$f" 3)" "$(median "$f" 4)"
}
ratio_row() { # ratio_row LABEL A B: contender A's medians over B's
  local a="$WORK/$2.results" b="$WORK/$3.results" c cells=()
  for c in 1 2 3 4; do cells+=("$(ratio "$(median "$a" "$c")" "$(median "$b" "$c")")"); done
  printf '%-22s %12s %10s %10s %14s\n' "$1" "${cells[@]}"
}
if reference vertx; then
  row "minimal Vert.x" vertx
  ratio_row "gantry/minimal Vert.x" gantry vertx
  ratio_row "minimal Vert.x/nginx" vertx nginx
fi
if reference netty; then
  row "raw Netty" netty
  ratio_row "raw Netty/nginx" netty nginx
fi
if [[ -n "$BASELINE_ROOT" ]]; then
  row "baseline gantry" baseline
  ratio_row "gantry/baseline" gantry baseline
  echo "(baseline: $BASELINE_ROOT${BASELINE_JAVA_OPTS:+, GANTRY_JAVA_OPTS='$JAVA_OPTS_BASELINE'}; idle RSS $RSS_IDLE_BASELINE MiB against gantry's $RSS_IDLE)"
fi
echo
printf '%-30s %12s  %-10s %s\n' "goal" "measured" "target" "verdict"
printf '%-30s %12s  %-10s %s\n' "RPS ratio gantry/nginx" "$rps_ratio" ">= $GOAL_RPS_RATIO" "$(verdict "$rps_ratio" "$GOAL_RPS_RATIO" ge)"
printf '%-30s %12s  %-10s %s\n' "p99 ratio gantry/nginx" "$p99_ratio" "<= $GOAL_P99_RATIO" "$(verdict "$p99_ratio" "$GOAL_P99_RATIO" le)"
printf '%-30s %12s  %-10s %s\n' "gateway idle RSS (MiB)" "$RSS_IDLE" "<= $GOAL_RSS_MIB" "$(verdict "$RSS_IDLE" "$GOAL_RSS_MIB" le)"
printf '%-30s %12s  %-10s %s\n' "gateway start-to-ready (ms)" "$READY_MS" "<= $GOAL_READY_MS" "$(verdict "$READY_MS" "$GOAL_READY_MS" le)"
rounds() { awk -v c="${2:-1}" '{printf "%s%.0f", (NR > 1 ? " " : ""), $c}' "$1"; }
echo
echo "per-round req/s: nginx [$(rounds "$WORK/nginx.results")]  gantry [$(rounds "$WORK/gantry.results")]$(
  reference vertx && echo "  minimal Vert.x [$(rounds "$WORK/vertx.results")]")$(
  reference netty && echo "  raw Netty [$(rounds "$WORK/netty.results")]")"
echo "per-round CPU us/request: nginx [$(rounds "$WORK/nginx.results" 4)]  gantry [$(rounds "$WORK/gantry.results" 4)]$(
  reference vertx && echo "  minimal Vert.x [$(rounds "$WORK/vertx.results" 4)]")$(
  reference netty && echo "  raw Netty [$(rounds "$WORK/netty.results" 4)]")$(
  [[ -n "$BASELINE_ROOT" ]] && echo "  baseline [$(rounds "$WORK/baseline.results" 4)]")"
echo "machine CPU busy: ${BUSY_BEFORE}% before start (other jobs), ${BUSY_AFTER}% in the 1 s after load (includes gantry's JIT)"
if ((GANTRY_ERRORS > 0)); then
  echo "gantry log: $GANTRY_ERRORS lines mention exceptions/errors ($UNHANDLED 'Unhandled exception'), first: $(grep -m1 -iE '^[a-z.]*(exception|error)' "$WORK/gantry.log" || true)"
fi
echo "(idle RSS measured 3 s after the warm-up runs; right after ready it was $RSS_START MiB;"
echo " start-to-ready is launch of bin/gantry to first 200 on /health/ready; gantry itself logged ${SELF_READY:-?} ms)"
