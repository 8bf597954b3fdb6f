#!/usr/bin/env bash
# CloudVault benchmark: measures the server against the ceilings of this machine (nginx for
# HTTP, dd for the disk, openssl for MD5) and writes BENCHMARKS.md at the repository root.
#
#   bash bench/run.sh <absolute build dir>        (what `make bench` runs)
#
# Needs <build>/cloudvault and <build>/cv_bench, nginx (nginx-light), wrk, dd, openssl.
# Everything runs on 127.0.0.1 inside one temporary folder under the build dir (the server's
# data must sit on the disk the dd ceiling measures); processes and the folder are removed on
# exit. Tunables (environment):
#   BENCH_DURATION=10       seconds per timed phase
#   BENCH_CONNECTIONS=32    connections for the 4 KiB phases
#   BENCH_LARGE_MIB=1024    size of the large PUT/GET and of the dd files, in MiB
#   BENCH_LIST_KEYS=10000   keys for the listing phase
#   BENCH_GET_KEYS=4096     keys the 4 KiB GET phases cycle over (issue 16's harness: 4,096),
#                           at most as many as the PUT phase before wrote
#   BENCH_LIFECYCLE_KEYS=100000  small objects the lifecycle phase transitions
#   BENCH_CONSOLE_KEYS=100000    keys in the one folder the console listing phase pages through
#   BENCH_NGINX_ONLY=1      skip the server (to check the harness before the server exists)
#   BENCH_ONLY=console      run only the console listing phase (its own server, no nginx, dd
#                           or openssl) and rewrite only that section of the report
#   BENCH_ONLY=notify       run only the notification phases (their own server) and rewrite
#                           only that section of the report
#   BENCH_NOTIFY_EVENTS=20000  objects (events) the notification burst phase writes
#   BENCH_ONLY=replication  run only the replication phases (their own server) and rewrite
#                           only that section of the report
#   BENCH_REPLICATION_OBJECTS=1000  small objects replicated (and copied) per phase
#   BENCH_ONLY=audit        run only the audit trail on/off and activity phases (their own
#                           servers) and rewrite only that section of the report
#   BENCH_ONLY=policy       run only the access control phase (GET with policies vs owner-only)
#   BENCH_ONLY=tls          run only the TLS phase (its own server) and rewrite only that
#                           section of the report
#   BENCH_ONLY=features     run only the features phase (4 KiB PUT/GET with every feature of
#                           issues 12-15 on against off, issue 16) and rewrite only its section
#   BENCH_ONLY=large        run only the large-body phases (issue 16): 1 GiB PUT and GET on one
#                           stream against dd (write+fsync, O_DIRECT read) and nginx serving a
#                           file of the same size, BENCH_LARGE_RUNS times each (default 3), the
#                           GETs with the page cache dropped and warm; the server's peak RSS.
#                           Rewrites only that section of the report
#   BENCH_ONLY=metrics      run only the metrics phases (4 KiB PUT/GET with metrics on vs off,
#                           /metrics with 1,000 buckets) and rewrite only that section
#   BENCH_ONLY=small        run only the 4 KiB PUT and GET phases (a fresh server each) and the
#                           nginx GET ceiling, print rates, ratios to nginx and server CPU per
#                           request (BENCHMARKS.md is not rewritten)
#   BENCH_BASELINE_BIN=path with BENCH_ONLY=small: also run this binary (e.g. main's build) in
#                           the same run, alternating baseline, candidate, baseline, candidate,
#                           for a before/after ratio
#   BENCH_REPORT=path       where to write the report (default <repo>/BENCHMARKS.md)
set -euo pipefail

BUILD_DIR=${1:?usage: bench/run.sh <absolute build dir>}
REPO_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
DURATION=${BENCH_DURATION:-10}
CONNECTIONS=${BENCH_CONNECTIONS:-32}
LARGE_MIB=${BENCH_LARGE_MIB:-1024}
LIST_KEYS=${BENCH_LIST_KEYS:-10000}
GET_KEYS=${BENCH_GET_KEYS:-4096}
LIFECYCLE_KEYS=${BENCH_LIFECYCLE_KEYS:-100000}
CONSOLE_KEYS=${BENCH_CONSOLE_KEYS:-100000}
NOTIFY_EVENTS=${BENCH_NOTIFY_EVENTS:-20000}
REPLICATION_OBJECTS=${BENCH_REPLICATION_OBJECTS:-1000}
ACTIVITY_RECORDS=${BENCH_ACTIVITY_RECORDS:-1000000}
NGINX_ONLY=${BENCH_NGINX_ONLY:-0}
ONLY=${BENCH_ONLY:-}
REPORT=${BENCH_REPORT:-$REPO_DIR/BENCHMARKS.md}
PYTHON=/usr/bin/python3
CV_BENCH="$BUILD_DIR/cv_bench"
SERVER_BIN="$BUILD_DIR/cloudvault"
CLK_TCK=$(getconf CLK_TCK)

log() { printf '[bench %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "error: $*"; exit 1; }

[[ -x "$CV_BENCH" ]] || die "missing $CV_BENCH (build the cv_bench target)"
[[ "$NGINX_ONLY" == 1 || -x "$SERVER_BIN" ]] || die "missing $SERVER_BIN"
[[ -z "$ONLY" || "$ONLY" == console || "$ONLY" == notify || "$ONLY" == replication ||
  "$ONLY" == audit || "$ONLY" == tls || "$ONLY" == policy || "$ONLY" == metrics ||
  "$ONLY" == features || "$ONLY" == small || "$ONLY" == large ]] ||
  die "BENCH_ONLY knows only: console, notify, replication, audit, tls, policy, metrics, features, small, large"
BASELINE_BIN=${BENCH_BASELINE_BIN:-}
[[ -z "$BASELINE_BIN" || -x "$BASELINE_BIN" ]] || die "BENCH_BASELINE_BIN is not executable: $BASELINE_BIN"
if [[ -z "$ONLY" || "$ONLY" == small || "$ONLY" == large ]]; then
  command -v nginx >/dev/null || die "nginx is not installed (apt-get install nginx-light)"
  command -v wrk >/dev/null || die "wrk is not installed"
fi

WORK=$(mktemp -d "$BUILD_DIR/bench-run.XXXXXX")
RESULTS="$WORK/results.jsonl"
: >"$RESULTS"
SERVER_PID=""
NGINX_PID=""

stop_process() {  # pid: TERM, then KILL if it lingers
  local pid=$1
  [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 50); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}

cleanup() {
  local status=$?
  stop_process "$SERVER_PID"
  stop_process "$NGINX_PID"
  rm -rf "$WORK"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() {
  "$PYTHON" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

wait_for_port() {  # port, what
  for _ in $(seq 100); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then return 0; fi
    sleep 0.1
  done
  die "$2 did not start listening on port $1"
}

# Appends {"phase": ..., <extra fields>, <cv_bench json>} to the results.
record() {  # phase json [extra-json-fields]
  "$PYTHON" - "$1" "$2" "${3:-}" >>"$RESULTS" <<'PY'
import json, sys
phase, line, extra = sys.argv[1], sys.argv[2], sys.argv[3]
row = {"phase": phase}
row.update(json.loads(line))
if extra:
    row.update(json.loads(extra))
print(json.dumps(row))
PY
}

# Server CPU time (utime+stime) in clock ticks, from /proc/<pid>/stat.
server_cpu_ticks() {
  local stat
  stat=$(<"/proc/$SERVER_PID/stat")
  stat=${stat##*) }  # the command name may contain spaces; fields resume after ") "
  local fields
  read -r -a fields <<<"$stat"
  echo $((fields[11] + fields[12]))  # utime and stime are fields 14 and 15
}

# Runs cv_bench against the server, recording the phase with the server CPU it used (and the
# fields of $PHASE_EXTRA, a JSON object, when set).
bench_server() {  # phase args...
  local phase=$1
  shift
  local before after line status=0
  before=$(server_cpu_ticks)
  line=$("$CV_BENCH" "$@" --endpoint "127.0.0.1:$SERVER_PORT") || status=$?
  after=$(server_cpu_ticks)
  [[ -n "$line" ]] || die "cv_bench $1 failed (exit $status)"
  ((status == 0)) || log "$phase: cv_bench reported errors: $line"
  local extra
  extra=$("$PYTHON" -c 'import json,sys; e=json.loads(sys.argv[1] or "{}"); e["server_cpu_seconds"]=float(sys.argv[2]); print(json.dumps(e))' \
    "${PHASE_EXTRA:-}" "$(((after - before) * 1000 / CLK_TCK))e-3")
  record "$phase" "$line" "$extra"
  log "$phase: $line"
  LAST_LINE=$line
}

json_field() {  # json field
  "$PYTHON" -c 'import json,sys; print(json.loads(sys.argv[1])[sys.argv[2]])' "$1" "$2"
}

# ---- disk and MD5 ceilings ------------------------------------------------------------------

measure_disk() {
  local file="$WORK/dd.bin" out seconds
  log "dd: ${LARGE_MIB} MiB buffered write + fsync"
  out=$(LC_ALL=C dd if=/dev/zero of="$file" bs=1M count="$LARGE_MIB" conv=fsync 2>&1 | tail -1)
  seconds=$(sed -E 's/.* copied, ([0-9.]+) s.*/\1/' <<<"$out")
  record dd-write "{\"mode\": \"dd-write-fsync\", \"unit\": \"MiB/s\", \"seconds\": $seconds,
    \"rate\": $("$PYTHON" -c "print(round($LARGE_MIB / $seconds, 2))")}"
  log "dd: O_DIRECT read"
  out=$(LC_ALL=C dd if="$file" of=/dev/null bs=1M iflag=direct 2>&1 | tail -1)
  seconds=$(sed -E 's/.* copied, ([0-9.]+) s.*/\1/' <<<"$out")
  record dd-read "{\"mode\": \"dd-read-direct\", \"unit\": \"MiB/s\", \"seconds\": $seconds,
    \"rate\": $("$PYTHON" -c "print(round($LARGE_MIB / $seconds, 2))")}"
  rm -f "$file"
}

measure_md5() {
  log "openssl speed -evp md5 (16384-byte blocks)"
  local kbytes
  kbytes=$(openssl speed -evp md5 -bytes 16384 -seconds 3 2>/dev/null | awk '$1 == "md5" {print $2}')
  kbytes=${kbytes%k}
  record md5 "{\"mode\": \"openssl-md5\", \"unit\": \"MiB/s\",
    \"rate\": $("$PYTHON" -c "print(round($kbytes * 1000 / 1048576, 2))")}"
}

# ---- nginx ----------------------------------------------------------------------------------

start_nginx() {
  local prefix="$WORK/nginx"
  mkdir -p "$prefix/www" "$prefix/temp" "$prefix/logs"
  head -c 4096 /dev/urandom >"$prefix/www/4k.bin"
  NGINX_PORT=$(free_port)
  local user_line=""
  [[ $(id -u) == 0 ]] && user_line="user root;"
  cat >"$prefix/nginx.conf" <<EOF
$user_line
worker_processes auto;
daemon off;
pid $prefix/nginx.pid;
error_log $prefix/logs/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  sendfile on;
  tcp_nopush on;
  tcp_nodelay on;
  keepalive_timeout 65;
  keepalive_requests 10000000;
  default_type application/octet-stream;
  client_body_temp_path $prefix/temp/body;
  proxy_temp_path $prefix/temp/proxy;
  fastcgi_temp_path $prefix/temp/fastcgi;
  uwsgi_temp_path $prefix/temp/uwsgi;
  scgi_temp_path $prefix/temp/scgi;
  server {
    listen 127.0.0.1:$NGINX_PORT;
    root $prefix/www;
  }
}
EOF
  log "starting nginx on 127.0.0.1:$NGINX_PORT"
  nginx -p "$prefix" -c "$prefix/nginx.conf" -e "$prefix/logs/error.log" &
  NGINX_PID=$!
  wait_for_port "$NGINX_PORT" nginx
}

measure_nginx() {
  local line
  log "nginx: 4 KiB GET with cv_bench, $CONNECTIONS connections"
  line=$("$CV_BENCH" get --no-sign --endpoint "127.0.0.1:$NGINX_PORT" --path /4k.bin \
    --connections "$CONNECTIONS" --duration "$DURATION") || die "cv_bench against nginx failed"
  record nginx-get "$line"
  log "nginx-get: $line"

  log "nginx: 4 KiB GET with wrk, $CONNECTIONS connections"
  local out rps
  out=$(wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" "http://127.0.0.1:$NGINX_PORT/4k.bin")
  rps=$(awk '/^Requests\/sec:/ {print $2}' <<<"$out")
  [[ -n "$rps" ]] || die "could not read wrk output: $out"
  record nginx-wrk "{\"mode\": \"wrk\", \"unit\": \"req/s\", \"rate\": $rps}"
  log "nginx-wrk: $rps req/s"
  stop_process "$NGINX_PID"
  NGINX_PID=""
}

# ---- CloudVault -----------------------------------------------------------------------------

start_server() {  # [data folder name] [more server arguments...]
  local data="$WORK/${1:-data}"
  shift || true
  # Fresh root credentials for this run; cv_bench reads the same variables.
  CLOUDVAULT_ROOT_ACCESS_KEY="CV$(od -An -N9 -tx1 /dev/urandom | tr -d ' \n' | tr a-f A-F)"
  CLOUDVAULT_ROOT_SECRET_KEY=$(od -An -N20 -tx1 /dev/urandom | tr -d ' \n')
  export CLOUDVAULT_ROOT_ACCESS_KEY CLOUDVAULT_ROOT_SECRET_KEY
  mkdir -p "$data"
  log "starting $SERVER_BIN $*"
  : >"$WORK/server.log"
  "$SERVER_BIN" server --listen 127.0.0.1:0 --data "$data" "$@" >"$WORK/server.log" 2>&1 &
  SERVER_PID=$!
  SERVER_PORT=""
  for _ in $(seq 300); do
    kill -0 "$SERVER_PID" 2>/dev/null || { cat "$WORK/server.log" >&2; die "server exited"; }
    SERVER_PORT=$(sed -nE 's#.*listening on http://127\.0\.0\.1:([0-9]+).*#\1#p' \
      "$WORK/server.log" | head -1)
    [[ -n "$SERVER_PORT" ]] && break
    sleep 0.1
  done
  [[ -n "$SERVER_PORT" ]] || { cat "$WORK/server.log" >&2; die "server never said it listens"; }
  log "server pid $SERVER_PID on 127.0.0.1:$SERVER_PORT"
}

# Drops the page cache of the server's largest blob file, so a GET reads from the disk.
drop_large_blob_cache() {
  local file
  file=$(find "$WORK/data" -type f -size +$((LARGE_MIB / 2))M -printf '%s %p\n' 2>/dev/null |
    sort -n | tail -1 | cut -d' ' -f2-)
  if [[ -n "$file" ]]; then
    dd if="$file" iflag=nocache count=0 status=none
    echo true
  else
    echo false
  fi
}

measure_server() {
  local common=(--connections "$CONNECTIONS" --duration "$DURATION")
  bench_server create-bucket create-bucket --bucket bench
  bench_server create-bucket-list create-bucket --bucket bench-list

  bench_server put-4k put --bucket bench --size 4096 --prefix small/ "${common[@]}"
  local written keys
  written=$(json_field "$LAST_LINE" requests)
  keys=$((written < GET_KEYS ? written : GET_KEYS))
  ((keys > 0)) || die "the PUT phase wrote nothing"
  # GET cycles over keys the PUT phase wrote (0 errors means all of them exist).
  bench_server get-4k get --bucket bench --prefix small/ --keys "$keys" --no-prefill \
    "${common[@]}"

  bench_server put-large put-large --bucket bench --key large.bin --size "${LARGE_MIB}MiB"
  local cold
  cold=$(drop_large_blob_cache)
  PHASE_EXTRA="{\"page_cache_dropped\": $cold}" bench_server get-large get-large \
    --bucket bench --key large.bin
  bench_server get-large-warm get-large --bucket bench --key large.bin

  bench_server list-populate put --bucket bench-list --size 128 --prefix keys/ \
    --count "$LIST_KEYS" --connections "$CONNECTIONS" --duration 600
  bench_server list list --bucket bench-list --prefix keys/ --keys "$LIST_KEYS" --no-prefill \
    --duration "$DURATION"

  # SSE-S3: the same large object into a bucket whose default encryption is AES256, compared
  # with the unencrypted figures above.
  bench_server create-bucket-sse create-bucket --bucket bench-sse
  server_aws s3api put-bucket-encryption --bucket bench-sse --server-side-encryption-configuration \
    '{"Rules":[{"ApplyServerSideEncryptionByDefault":{"SSEAlgorithm":"AES256"}}]}'
  bench_server put-large-sse put-large --bucket bench-sse --key large.bin --size "${LARGE_MIB}MiB"
  cold=$(drop_large_blob_cache)
  PHASE_EXTRA="{\"page_cache_dropped\": $cold}" bench_server get-large-sse get-large \
    --bucket bench-sse --key large.bin
  bench_server get-large-sse-warm get-large --bucket bench-sse --key large.bin

  local hwm
  hwm=$(awk '/^VmHWM:/ {print $2}' "/proc/$SERVER_PID/status")
  record server-rss "{\"mode\": \"server-peak-rss\", \"unit\": \"MiB\",
    \"rate\": $("$PYTHON" -c "print(round($hwm / 1024, 1))")}"
}

# Drops the whole page cache when this user may (root), else the server's largest blob file's.
drop_page_cache() {
  sync
  if [[ -w /proc/sys/vm/drop_caches ]]; then
    echo 3 >/proc/sys/vm/drop_caches
    echo '"all"'
  else
    [[ $(drop_large_blob_cache) == true ]] && echo '"blob file"' || echo '"none"'
  fi
}

# The server's peak resident set (VmHWM) so far, in MiB.
server_peak_rss_mib() {
  "$PYTHON" -c "print(round($(awk '/^VmHWM:/ {print $2}' "/proc/$SERVER_PID/status") / 1024, 1))"
}

# BENCH_ONLY=large (issue 16): one-stream 1 GiB PUT and GET, BENCH_LARGE_RUNS times, each run
# measuring its ceilings right before: dd write+fsync and O_DIRECT read of a file of the same
# size on the same file system, and nginx (sendfile on) serving that file, cold (page cache
# dropped) and warm. Phases large-*-<run>. Then the server's peak RSS over all of it.
measure_large() {
  local runs=${BENCH_LARGE_RUNS:-3} run file out seconds dropped
  start_nginx
  file="$WORK/nginx/www/large.bin"
  start_server data-large
  bench_server create-bucket create-bucket --bucket bench
  measure_md5
  for run in $(seq "$runs"); do
    log "large run $run of $runs"
    rm -f "$file"
    out=$(LC_ALL=C dd if=/dev/zero of="$file" bs=1M count="$LARGE_MIB" conv=fsync 2>&1 | tail -1)
    seconds=$(sed -E 's/.* copied, ([0-9.]+) s.*/\1/' <<<"$out")
    record "large-dd-write-$run" "{\"mode\": \"dd-write-fsync\", \"unit\": \"MiB/s\",
      \"seconds\": $seconds, \"rate\": $("$PYTHON" -c "print(round($LARGE_MIB / $seconds, 2))")}"
    bench_server "large-put-$run" put-large --bucket bench --key large.bin --size "${LARGE_MIB}MiB"
    out=$(LC_ALL=C dd if="$file" of=/dev/null bs=1M iflag=direct 2>&1 | tail -1)
    seconds=$(sed -E 's/.* copied, ([0-9.]+) s.*/\1/' <<<"$out")
    record "large-dd-read-$run" "{\"mode\": \"dd-read-direct\", \"unit\": \"MiB/s\",
      \"seconds\": $seconds, \"rate\": $("$PYTHON" -c "print(round($LARGE_MIB / $seconds, 2))")}"
    dropped=$(drop_page_cache)
    out=$("$CV_BENCH" get-large --no-sign --endpoint "127.0.0.1:$NGINX_PORT" --path /large.bin) ||
      die "cv_bench get-large against nginx failed"
    record "large-nginx-cold-$run" "$out" "{\"page_cache_dropped\": $dropped}"
    out=$("$CV_BENCH" get-large --no-sign --endpoint "127.0.0.1:$NGINX_PORT" --path /large.bin) ||
      die "cv_bench get-large against nginx failed"
    record "large-nginx-warm-$run" "$out"
    dropped=$(drop_page_cache)
    PHASE_EXTRA="{\"page_cache_dropped\": $dropped}" bench_server "large-get-cold-$run" \
      get-large --bucket bench --key large.bin
    bench_server "large-get-warm-$run" get-large --bucket bench --key large.bin
    log "large run $run: peak RSS so far $(server_peak_rss_mib) MiB"
  done
  record large-server-rss "{\"mode\": \"server-peak-rss\", \"unit\": \"MiB\",
    \"rate\": $(server_peak_rss_mib)}"
  rm -f "$file"
  stop_process "$NGINX_PID"
  NGINX_PID=""
}

# The aws CLI signed as the server's root user.
server_aws() {
  AWS_ACCESS_KEY_ID=$CLOUDVAULT_ROOT_ACCESS_KEY AWS_SECRET_ACCESS_KEY=$CLOUDVAULT_ROOT_SECRET_KEY \
    AWS_DEFAULT_REGION=us-east-1 AWS_EC2_METADATA_DISABLED=true \
    /usr/bin/aws --endpoint-url "http://127.0.0.1:$SERVER_PORT" "$@" >/dev/null
}

# Lifecycle: LIFECYCLE_KEYS small objects, a rule whose Date has passed (every one is due at
# once), then one timed `cloudvault admin lifecycle run` with the server stopped. The ceiling is
# what the machine allows for what each transition must do at least: create a file in the tier
# folder durably (write 4 KiB, fsync, rename, as the blob store does).
measure_lifecycle() {
  bench_server create-bucket-lifecycle create-bucket --bucket bench-lifecycle
  bench_server lifecycle-populate put --bucket bench-lifecycle --size 4096 --prefix lc/ \
    --count "$LIFECYCLE_KEYS" --connections "$CONNECTIONS" --duration 900
  server_aws s3api put-bucket-lifecycle-configuration --bucket bench-lifecycle \
    --lifecycle-configuration '{"Rules":[{"ID":"bench","Status":"Enabled",
      "Filter":{"And":{"Prefix":"lc/","ObjectSizeGreaterThan":0}},
      "Transitions":[{"Date":"2020-01-01T00:00:00Z","StorageClass":"STANDARD_IA"}]}]}'
  stop_process "$SERVER_PID"
  SERVER_PID=""
  log "lifecycle: one pass over $LIFECYCLE_KEYS objects"
  local start end report
  start=$(date +%s.%N)
  report=$("$SERVER_BIN" admin lifecycle run --data "$WORK/data") || die "lifecycle run failed"
  end=$(date +%s.%N)
  log "lifecycle: $report"
  record lifecycle "$("$PYTHON" -c '
import json, sys
report = json.loads(sys.argv[1]); seconds = float(sys.argv[3]) - float(sys.argv[2])
print(json.dumps({"mode": "lifecycle-run", "unit": "transitions/s", "seconds": round(seconds, 2),
                  "requests": report["transitioned"], "errors": report["failures"],
                  "rate": round(report["transitioned"] / seconds, 1)}))' "$report" "$start" "$end")"
  log "lifecycle ceiling: durable 4 KiB file creations"
  record file-create "$("$PYTHON" - "$WORK/create-ceiling" <<'PY'
import json, os, sys, time
folder = sys.argv[1]; os.makedirs(folder); block = os.urandom(4096); count = 3000
start = time.monotonic()
for i in range(count):
    temp = os.path.join(folder, f"t{i}"); final = os.path.join(folder, f"f{i}")
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    os.write(fd, block); os.fdatasync(fd); os.close(fd); os.rename(temp, final)
dir_fd = os.open(folder, os.O_RDONLY); os.fsync(dir_fd); os.close(dir_fd)
seconds = time.monotonic() - start
print(json.dumps({"mode": "file-create-fsync", "unit": "files/s", "requests": count,
                  "rate": round(count / seconds, 1)}))
PY
)"
}

# Console listing: CONSOLE_KEYS small objects in one folder, then the web console's
# GET objects timed for the first page, a deep page, searches and sorts (bench/console_listing.py
# prints the table and appends its rows, phases console-*, to the results).
measure_console() {
  bench_server create-bucket-console create-bucket --bucket bench-console
  bench_server console-populate put --bucket bench-console --size 128 --prefix folder/ \
    --count "$CONSOLE_KEYS" --connections "$CONNECTIONS" --duration 900
  log "console listing over $CONSOLE_KEYS keys"
  "$PYTHON" "$REPO_DIR/bench/console_listing.py" --endpoint "127.0.0.1:$SERVER_PORT" \
    --bucket bench-console --prefix folder/ --keys "$CONSOLE_KEYS" --results "$RESULTS" >&2 ||
    die "console listing failed"
}

# Notifications: a server of its own whose webhook target is cv_bench's sink. Events delivered
# per second (a burst of NOTIFY_EVENTS 4 KiB PUTs), the time from a PUT's acknowledgement to its
# event at the webhook at 500 PUT/s, and the 4 KiB PUT rate into a bucket with one notification
# rule against one without, in the same server.
measure_notify() {
  local sink_port config
  sink_port=$(free_port)
  config="$WORK/notify.toml"
  printf '[notify.targets.sink]\ntype = "webhook"\nurl = "http://127.0.0.1:%s/events"\nsecret = "%s"\n' \
    "$sink_port" "bench-$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')" >"$config"
  start_server data-notify --config "$config"
  bench_server create-bucket-notify create-bucket --bucket bench-notify
  bench_server create-bucket-plain create-bucket --bucket bench-plain
  server_aws s3api put-bucket-notification-configuration --bucket bench-notify \
    --notification-configuration '{"QueueConfigurations":[{"Id":"bench",
      "QueueArn":"arn:aws:sqs:us-east-1:000000000000:sink","Events":["s3:ObjectCreated:*"]}]}'
  bench_server notify-burst notify-burst --bucket bench-notify --size 4096 \
    --count "$NOTIFY_EVENTS" --connections "$CONNECTIONS" --sink-port "$sink_port" --duration 120
  bench_server notify-latency notify-latency --bucket bench-notify --size 4096 --rate 500 \
    --sink-port "$sink_port" --duration "$DURATION"
  local common=(--size 4096 --connections "$CONNECTIONS" --duration "$DURATION")
  bench_server put-4k-plain put --bucket bench-plain --prefix off/ "${common[@]}"
  # The sink is not running now: the events of this phase queue up and retry, as they would
  # with a receiver that is down; the uploads must not notice.
  bench_server put-4k-notify put --bucket bench-notify --prefix on/ "${common[@]}"
  stop_process "$SERVER_PID"
  SERVER_PID=""
}

versioned_bucket() {  # name
  bench_server "create-$1" create-bucket --bucket "$1" >/dev/null
  server_aws s3api put-bucket-versioning --bucket "$1" \
    --versioning-configuration Status=Enabled
}

# Replication: REPLICATION_OBJECTS 4 KiB objects and one LARGE_MIB object, each copied once by
# CopyObject (the ceiling: a plain server-side copy of the same data, same run) and once by a
# replication rule backfilling them; then the lag from a PUT's acknowledgement to its receipt
# at a webhook under a steady 500 PUT/s; then 4 KiB PUTs into a bucket with one notification
# rule and one replication rule against a bucket with none.
# The audit trail on against off: 4 KiB PUT and GET against a server with [trail] enabled =
# false, then the same against one with the trail on (records spooled, rolled, indexed), same
# run, same data folder layout.
measure_trail() {
  local state config written keys
  for state in off on; do
    config="$WORK/trail-$state.toml"
    if [[ "$state" == off ]]; then printf '[trail]\nenabled = false\n' >"$config"; else : >"$config"; fi
    start_server "data-trail-$state" --config "$config"
    bench_server "create-bucket-trail-$state" create-bucket --bucket bench-trail >/dev/null
    bench_server "put-4k-trail-$state" put --bucket bench-trail --size 4096 --prefix small/ \
      --connections "$CONNECTIONS" --duration "$DURATION"
    written=$(json_field "$LAST_LINE" requests)
    keys=$((written < GET_KEYS ? written : GET_KEYS))
    bench_server "get-4k-trail-$state" get --bucket bench-trail --prefix small/ --keys "$keys" \
      --no-prefill --connections "$CONNECTIONS" --duration "$DURATION"
    stop_process "$SERVER_PID"
    SERVER_PID=""
  done
}

# The activity pipeline: ingest of ACTIVITY_RECORDS synthetic CloudTrail records against zcat
# over the same files, and the 365-day scores command's latency (bench/activity_bench.py).
measure_activity() {
  log "activity ingest of $ACTIVITY_RECORDS records"
  "$PYTHON" "$REPO_DIR/bench/activity_bench.py" --records "$ACTIVITY_RECORDS" \
    --binary "$SERVER_BIN" --work "$WORK/activity" --results "$RESULTS" >&2 ||
    die "activity benchmark failed"
}

measure_replication() {
  local sink_port config
  sink_port=$(free_port)
  config="$WORK/replication.toml"
  printf '[notify.targets.sink]\ntype = "webhook"\nurl = "http://127.0.0.1:%s/events"\nsecret = "%s"\n' \
    "$sink_port" "bench-$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')" >"$config"
  start_server data-replication --config "$config"
  for bucket in small-src small-dst big-src big-dst; do versioned_bucket "$bucket"; done
  bench_server create-small-copy create-bucket --bucket small-copy >/dev/null
  bench_server create-big-copy create-bucket --bucket big-copy >/dev/null
  bench_server copy-small copy-objects --bucket small-src --dest small-copy \
    --count "$REPLICATION_OBJECTS" --size 4096 --connections "$CONNECTIONS"
  bench_server replicate-small replicate-objects --bucket small-src --dest small-dst \
    --count "$REPLICATION_OBJECTS" --size 4096
  bench_server copy-large copy-objects --bucket big-src --dest big-copy --count 1 \
    --size "${LARGE_MIB}MiB" --connections 1
  bench_server replicate-large replicate-objects --bucket big-src --dest big-dst --count 1 \
    --size "${LARGE_MIB}MiB"
  # Lag: a receipt per replicated object reaches the webhook sink.
  bench_server create-lag-src create-bucket --bucket lag-src >/dev/null
  "$SERVER_BIN" admin backup create --from lag-src --to lag-dst --receipt sink \
    --data "$WORK/data-replication" --config "$config" >/dev/null
  bench_server replication-lag notify-latency --bucket lag-src --size 4096 --rate 500 \
    --sink-port "$sink_port" --duration "$DURATION"
  # Rules on vs off (the sink is down now: notifications queue and retry).
  versioned_bucket rules-on
  versioned_bucket rules-dst
  bench_server create-rules-off create-bucket --bucket rules-off >/dev/null
  server_aws s3api put-bucket-notification-configuration --bucket rules-on \
    --notification-configuration '{"QueueConfigurations":[{"Id":"bench",
      "QueueArn":"arn:aws:sqs:us-east-1:000000000000:sink","Events":["s3:ObjectCreated:*"]}]}'
  server_aws s3api put-bucket-replication --bucket rules-on --replication-configuration \
    '{"Role":"arn:aws:iam::000000000000:role/bench","Rules":[{"ID":"bench","Priority":1,
      "Status":"Enabled","Filter":{"Prefix":""},"Destination":{"Bucket":"arn:aws:s3:::rules-dst"},
      "DeleteMarkerReplication":{"Status":"Disabled"}}]}'
  local common=(--size 4096 --connections "$CONNECTIONS" --duration "$DURATION")
  bench_server put-4k-rules-off put --bucket rules-off --prefix off/ "${common[@]}"
  bench_server put-4k-rules-on put --bucket rules-on --prefix on/ "${common[@]}"
  stop_process "$SERVER_PID"
  SERVER_PID=""
}

# TLS: 4 KiB GET over HTTPS against plain HTTP, same server, same keys, same run. The server
# gets a self-signed certificate and a plain loopback listener ([tls] plain_listen);
# start_server finds the plain port, the TLS port is the https readiness line's.
measure_tls() {
  local config="$WORK/tls.toml" written keys tls_port
  "$SERVER_BIN" admin tls self-signed --host 127.0.0.1 --out-cert "$WORK/tls-cert.pem" \
    --out-key "$WORK/tls-key.pem" --data "$WORK" >/dev/null
  printf '[tls]\ncert = "%s"\nkey = "%s"\nplain_listen = "127.0.0.1:0"\n' \
    "$WORK/tls-cert.pem" "$WORK/tls-key.pem" >"$config"
  start_server data-tls --config "$config"
  tls_port=$(sed -nE 's#.*listening on https://127\.0\.0\.1:([0-9]+).*#\1#p' "$WORK/server.log" | head -1)
  [[ -n "$tls_port" ]] || die "the TLS server did not say its https port"
  local common=(--connections "$CONNECTIONS" --duration "$DURATION")
  bench_server create-bucket-tls create-bucket --bucket bench-tls >/dev/null
  bench_server put-4k-tls-fill put --bucket bench-tls --size 4096 --prefix small/ \
    --count 10000 --connections "$CONNECTIONS" --duration 600
  written=$(json_field "$LAST_LINE" requests)
  keys=$((written < GET_KEYS ? written : GET_KEYS))
  ((keys > 0)) || die "the TLS fill phase wrote nothing"
  bench_server get-4k-plain get --bucket bench-tls --prefix small/ --keys "$keys" --no-prefill \
    "${common[@]}"
  local plain_port=$SERVER_PORT
  SERVER_PORT=$tls_port bench_server get-4k-tls get --tls --bucket bench-tls --prefix small/ \
    --keys "$keys" --no-prefill "${common[@]}"
  SERVER_PORT=$plain_port
  stop_process "$SERVER_PID"
  SERVER_PID=""
}

# Access control: 4 KiB GET by the bucket's owner with no policy anywhere (the authorizer's
# fast path), before and after the same keys read by an IAM user governed by a 10-statement user policy under
# a 20-statement bucket policy (bench/policy_setup.py), same server, same run.
measure_policy() {
  local written keys user
  start_server data-policy
  local common=(--connections "$CONNECTIONS" --duration "$DURATION")
  bench_server create-bucket-policy create-bucket --bucket bench-policy >/dev/null
  bench_server put-4k-policy-fill put --bucket bench-policy --size 4096 --prefix small/ \
    --count 10000 --connections "$CONNECTIONS" --duration 600
  written=$(json_field "$LAST_LINE" requests)
  keys=$((written < GET_KEYS ? written : GET_KEYS))
  ((keys > 0)) || die "the policy fill phase wrote nothing"
  bench_server get-4k-owner-only get --bucket bench-policy --prefix small/ --keys "$keys" \
    --no-prefill "${common[@]}"
  user=$("$PYTHON" "$REPO_DIR/bench/policy_setup.py" "http://127.0.0.1:$SERVER_PORT" bench-policy)
  local extra
  extra=$("$PYTHON" -c 'import json,sys; u=json.loads(sys.argv[1]); print(json.dumps({k: u[k] for k in ("user_statements", "bucket_statements")}))' "$user")
  PHASE_EXTRA=$extra bench_server get-4k-with-policies get --bucket bench-policy --prefix small/ \
    --keys "$keys" --no-prefill --access-key "$(json_field "$user" access_key)" \
    --secret-key "$(json_field "$user" secret_key)" "${common[@]}"
  # Owner-only again, the bucket policy removed: the server's state drifts during a run (the
  # trail grows), so the owner's rate is the mean of one run before and one after the governed one.
  "$PYTHON" "$REPO_DIR/bench/policy_setup.py" "http://127.0.0.1:$SERVER_PORT" bench-policy --remove
  bench_server get-4k-owner-only-after get --bucket bench-policy --prefix small/ --keys "$keys" \
    --no-prefill "${common[@]}"
  stop_process "$SERVER_PID"
  SERVER_PID=""
}

# Metrics (issue 15): 4 KiB PUT and GET against a server with [metrics] enabled = false, then
# one with metrics on, same run; then /metrics on a server holding 1,000 buckets
# (bench/metrics_scrape.py: store reads past the 2 s cache, and cached scrapes).
# "off" also turns the access log off ([log] access = false), so "on" measures metrics and the
# access log (JSON lines into the server's log file) together, as issue 15 asks.
# The two states alternate twice (off, on, off, on; phases *-off, *-on, *-off-2, *-on-2) and
# the report compares their means: this machine's load drifts within a run.
measure_metrics() {
  local run state config written keys
  for run in off on off-2 on-2; do
    state=${run%-2}
    config="$WORK/metrics-$run.toml"
    if [[ "$state" == off ]]; then
      printf '[metrics]\nenabled = false\n\n[log]\naccess = false\n' >"$config"
    else
      : >"$config"
    fi
    start_server "data-metrics-$run" --config "$config"
    bench_server "create-bucket-metrics-$run" create-bucket --bucket bench-metrics >/dev/null
    bench_server "put-4k-metrics-$run" put --bucket bench-metrics --size 4096 --prefix small/ \
      --connections "$CONNECTIONS" --duration "$DURATION"
    written=$(json_field "$LAST_LINE" requests)
    keys=$((written < GET_KEYS ? written : GET_KEYS))
    ((keys > 0)) || die "the metrics PUT phase wrote nothing"
    bench_server "get-4k-metrics-$run" get --bucket bench-metrics --prefix small/ \
      --keys "$keys" --no-prefill --connections "$CONNECTIONS" --duration "$DURATION"
    if [[ "$run" == on-2 ]]; then
      log "metrics: 1,000 buckets, then timed scrapes"
      "$PYTHON" "$REPO_DIR/bench/metrics_scrape.py" "http://127.0.0.1:$SERVER_PORT" \
        --buckets 1000 >>"$RESULTS" || die "the metrics scrape benchmark failed"
      log "metrics: $(tail -1 "$RESULTS")"
    fi
    stop_process "$SERVER_PID"
    SERVER_PID=""
  done
}

# Every feature on against off (issue 16): 4 KiB PUT then GET into a versioned bucket, "off"
# with the audit trail, metrics and the access log switched off and signed by the bucket's
# owner (no policy anywhere), "on" with all three on, a notification rule (to a webhook that
# answers 204), a replication rule (into another bucket of this server), a 20-statement bucket
# policy and an IAM user with a 10-statement policy signing the requests
# (bench/features_setup.py). Both states twice in turn (off, on, off, on; phases *-off,
# *-on, *-off-2, *-on-2), each rate the mean of its two. With the features on, the GET phase
# waits until the PUTs' notifications and replications are done (bench/wait_drained.py).
measure_features() {
  local run state config written keys keys_json sink_port sink_pid drained
  sink_port=$(free_port)
  "$PYTHON" "$REPO_DIR/bench/webhook_ok.py" "$sink_port" 2>"$WORK/sink.log" &
  sink_pid=$!
  wait_for_port "$sink_port" "the webhook receiver"
  for run in off on off-2 on-2; do
    state=${run%-2}
    config="$WORK/features-$run.toml"
    if [[ "$state" == off ]]; then
      printf '[trail]\nenabled = false\n\n[metrics]\nenabled = false\n\n[log]\naccess = false\n' \
        >"$config"
    else
      printf '[notify.targets.sink]\ntype = "webhook"\nurl = "http://127.0.0.1:%s/events"\nsecret = "%s"\n' \
        "$sink_port" "bench-$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')" >"$config"
    fi
    start_server "data-features-$run" --config "$config"
    if [[ "$state" == off ]]; then
      keys_json=$("$PYTHON" "$REPO_DIR/bench/features_setup.py" "http://127.0.0.1:$SERVER_PORT" \
        bench-features bench-features-replica --off)
    else
      keys_json=$("$PYTHON" "$REPO_DIR/bench/features_setup.py" "http://127.0.0.1:$SERVER_PORT" \
        bench-features bench-features-replica)
    fi
    local signer=(--access-key "$(json_field "$keys_json" access_key)"
      --secret-key "$(json_field "$keys_json" secret_key)")
    bench_server "put-4k-features-$run" put --bucket bench-features --size 4096 --prefix small/ \
      --connections "$CONNECTIONS" --duration "$DURATION" "${signer[@]}"
    written=$(json_field "$LAST_LINE" requests)
    keys=$((written < GET_KEYS ? written : GET_KEYS))
    ((keys > 0)) || die "the features PUT phase wrote nothing"
    # The GET phase starts once the PUTs' deliveries and copies are done, so it measures what
    # the features cost a GET, not the tail of the PUT phase's background work.
    if [[ "$state" == on ]]; then
      log "features: waiting for the outbox to drain"
      drained=$("$PYTHON" "$REPO_DIR/bench/wait_drained.py" "http://127.0.0.1:$SERVER_PORT") ||
        die "the features phase's outbox did not drain"
      log "features: drained in $drained s"
    fi
    bench_server "get-4k-features-$run" get --bucket bench-features --prefix small/ \
      --keys "$keys" --no-prefill --connections "$CONNECTIONS" --duration "$DURATION" \
      "${signer[@]}"
    stop_process "$SERVER_PID"
    SERVER_PID=""
  done
  stop_process "$sink_pid"
}

# Small requests only (issue 16): the nginx 4 KiB GET ceiling, then for each binary (the
# baseline first when BENCH_BASELINE_BIN is set, alternating twice) a fresh server with the
# default configuration, a 4 KiB PUT phase and a GET phase over the keys it wrote. Phases are
# named small-put-<who>-<n> / small-get-<who>-<n>; bench/small_summary.py prints the table.
measure_small() {
  start_nginx
  local line
  log "nginx: 4 KiB GET with cv_bench, $CONNECTIONS connections"
  line=$("$CV_BENCH" get --no-sign --endpoint "127.0.0.1:$NGINX_PORT" --path /4k.bin \
    --connections "$CONNECTIONS" --duration "$DURATION") || die "cv_bench against nginx failed"
  record nginx-get "$line"
  log "nginx-get: $line"
  stop_process "$NGINX_PID"
  NGINX_PID=""
  local candidate=$SERVER_BIN run who written keys
  local order=(candidate)
  [[ -n "$BASELINE_BIN" ]] && order=(baseline candidate baseline candidate)
  local n=0
  for who in "${order[@]}"; do
    n=$((n + 1))
    if [[ "$who" == baseline ]]; then SERVER_BIN=$BASELINE_BIN; else SERVER_BIN=$candidate; fi
    start_server "data-small-$n"
    bench_server "create-bucket-small-$n" create-bucket --bucket bench
    bench_server "small-put-$who-$n" put --bucket bench --size 4096 --prefix small/ \
      --connections "$CONNECTIONS" --duration "$DURATION"
    written=$(json_field "$LAST_LINE" requests)
    keys=$((written < GET_KEYS ? written : GET_KEYS))
    ((keys > 0)) || die "the small PUT phase wrote nothing"
    bench_server "small-get-$who-$n" get --bucket bench --prefix small/ --keys "$keys" \
      --no-prefill --connections "$CONNECTIONS" --duration "$DURATION"
    stop_process "$SERVER_PID"
    SERVER_PID=""
  done
  SERVER_BIN=$candidate
}

# ---- run ------------------------------------------------------------------------------------

log "work folder $WORK"
if [[ "$ONLY" == console ]]; then
  start_server
  measure_console
  "$PYTHON" "$REPO_DIR/bench/report.py" --results "$RESULTS" --output "$REPORT" --only-console
  log "rewrote the console section of $REPORT"
  exit 0
fi
if [[ "$ONLY" == replication ]]; then
  measure_replication
  "$PYTHON" "$REPO_DIR/bench/report.py" --results "$RESULTS" --output "$REPORT" --only-replication
  log "rewrote the replication section of $REPORT"
  exit 0
fi
if [[ "$ONLY" == audit ]]; then
  measure_trail
  measure_activity
  "$PYTHON" "$REPO_DIR/bench/report.py" --results "$RESULTS" --output "$REPORT" --only-activity
  log "rewrote the audit trail and activity section of $REPORT"
  exit 0
fi
if [[ "$ONLY" == policy ]]; then
  measure_policy
  "$PYTHON" "$REPO_DIR/bench/report.py" --results "$RESULTS" --output "$REPORT" --only-policy
  log "rewrote the access control section of $REPORT"
  exit 0
fi
if [[ "$ONLY" == tls ]]; then
  measure_tls
  "$PYTHON" "$REPO_DIR/bench/report.py" --results "$RESULTS" --output "$REPORT" --only-tls
  log "rewrote the TLS section of $REPORT"
  exit 0
fi
if [[ "$ONLY" == features ]]; then
  measure_features
  "$PYTHON" "$REPO_DIR/bench/report.py" --results "$RESULTS" --output "$REPORT" --only-features
  log "rewrote the features section of $REPORT"
  exit 0
fi
if [[ "$ONLY" == small ]]; then
  measure_small
  "$PYTHON" "$REPO_DIR/bench/small_summary.py" "$RESULTS" "$SERVER_BIN" "$BASELINE_BIN"
  exit 0
fi
if [[ "$ONLY" == large ]]; then
  measure_large
  "$PYTHON" "$REPO_DIR/bench/report.py" --results "$RESULTS" --output "$REPORT" --only-large \
    --large-mib "$LARGE_MIB"
  log "rewrote the large bodies section of $REPORT"
  exit 0
fi
if [[ "$ONLY" == metrics ]]; then
  measure_metrics
  "$PYTHON" "$REPO_DIR/bench/report.py" --results "$RESULTS" --output "$REPORT" --only-metrics
  log "rewrote the metrics section of $REPORT"
  exit 0
fi
if [[ "$ONLY" == notify ]]; then
  measure_notify
  "$PYTHON" "$REPO_DIR/bench/report.py" --results "$RESULTS" --output "$REPORT" --only-notify
  log "rewrote the notification section of $REPORT"
  exit 0
fi
start_nginx
measure_nginx
measure_disk
measure_md5
if [[ "$NGINX_ONLY" != 1 ]]; then
  start_server
  measure_server
  measure_console
  measure_lifecycle
  measure_notify
  measure_replication
  measure_trail
  measure_activity
  measure_tls
  measure_policy
  measure_metrics
  measure_features
  # The large bodies' runs bring their own nginx and server.
  stop_process "$SERVER_PID"
  SERVER_PID=""
  stop_process "$NGINX_PID"
  NGINX_PID=""
  measure_large
fi

"$PYTHON" "$REPO_DIR/bench/report.py" --results "$RESULTS" --output "$REPORT" \
  --repo "$REPO_DIR" --work "$WORK" --duration "$DURATION" --connections "$CONNECTIONS" \
  --large-mib "$LARGE_MIB" --list-keys "$LIST_KEYS" --get-keys "$GET_KEYS" --lifecycle-keys "$LIFECYCLE_KEYS"
log "wrote $REPORT"
