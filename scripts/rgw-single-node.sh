#!/usr/bin/env bash
# A throwaway single-node Ceph cluster with an S3 gateway (RGW) on loopback, for `make test-rgw`
# (docs/RGW.md). Debian's Ceph 16.2 (pacific) packages; no systemd, no block device, no cephx.
#
#   bash scripts/rgw-single-node.sh start DIR   one mon, one OSD (memstore: objects in RAM),
#                                               radosgw (beast) on 127.0.0.1:<free port>, an
#                                               S3 user; writes DIR/env (export lines:
#                                               CV_BLOB_TEST_ENDPOINT, _ACCESS_KEY, _SECRET_KEY)
#   bash scripts/rgw-single-node.sh stop DIR    stops every daemon that `start DIR` started
#
# Everything lives in DIR: DIR/ceph.conf (every command gets -c DIR/ceph.conf), the mon's store,
# DIR/log/*.log, DIR/run/*.pid and the admin sockets. No ceph-mgr: RGW does not need one (the
# cluster reports HEALTH_WARN "no active mgr", which changes nothing for I/O). Installs the
# packages with apt-get when they are missing (root). Waits are polls with deadlines.
set -euo pipefail

usage() {
  echo "usage: $0 start|stop DIR" >&2
  exit 2
}
[ $# -eq 2 ] || usage
action=$1
dir=$2
[ -n "$dir" ] || usage

log() { echo "rgw-single-node: $*" >&2; }
die() {
  log "$*"
  exit 1
}

# --- packages -----------------------------------------------------------------------------------
ensure_packages() {
  local packages=(ceph-mon ceph-osd radosgw ceph-common curl)
  local missing=() p
  for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  [ "$(id -u)" -eq 0 ] || die "missing packages: ${missing[*]} (run as root, or install them)"
  log "installing: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# --- helpers --------------------------------------------------------------------------------------
# A TCP port on 127.0.0.1 that nothing listens on (from a random start in 20000-29999).
port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
free_port() {
  local port
  for _ in $(seq 1 200); do
    port=$((20000 + RANDOM % 10000))
    case " ${taken_ports:-} " in *" $port "*) continue ;; esac
    if ! port_in_use "$port" && ! ss -Hltn "sport = :$port" 2>/dev/null | grep -q .; then
      taken_ports="${taken_ports:-} $port"
      echo "$port"
      return 0
    fi
  done
  die "no free port found"
}

# poll SECONDS DESCRIPTION COMMAND...: runs COMMAND every 0.5 s until it succeeds, at most
# SECONDS; fails naming DESCRIPTION (and the logs) past the deadline or when a daemon died.
poll() {
  local seconds=$1 what=$2
  shift 2
  local deadline=$((SECONDS + seconds))
  while ! "$@" >/dev/null 2>&1; do
    check_daemons_alive
    if [ "$SECONDS" -ge "$deadline" ]; then
      log "timed out after ${seconds}s waiting for $what; logs in $dir/log"
      return 1
    fi
    sleep 0.5
  done
}

ceph_cli() { timeout 30 ceph -c "$conf" --connect-timeout 10 "$@"; }

# The pid files of the daemons this script started: DIR/run/<name>.started.
check_daemons_alive() {
  local f pid
  for f in "$dir"/run/*.started; do
    [ -e "$f" ] || continue
    pid=$(cat "$f")
    if ! kill -0 "$pid" 2>/dev/null; then
      log "$(basename "$f" .started) (pid $pid) exited; last lines of its log:"
      tail -n 30 "$dir/log/$(basename "$f" .started).log" >&2 2>/dev/null || true
      tail -n 30 "$dir/log/$(basename "$f" .started).out" >&2 2>/dev/null || true
      exit 1
    fi
  done
}

# spawn NAME COMMAND...: starts a daemon in the foreground mode of its own session, in the
# background of this shell; its pid goes to DIR/run/NAME.started.
spawn() {
  local name=$1
  shift
  setsid "$@" </dev/null >"$dir/log/$name.out" 2>&1 &
  echo $! >"$dir/run/$name.started"
}

# --- start ----------------------------------------------------------------------------------------
start() {
  ensure_packages
  mkdir -p "$dir"
  dir=$(cd "$dir" && pwd)
  conf=$dir/ceph.conf
  if compgen -G "$dir/run/*.started" >/dev/null; then
    die "$dir already has daemons (run: $0 stop $dir)"
  fi
  rm -rf "$dir/mon" "$dir/osd" "$dir/rgw" "$dir/run" "$dir/log" "$dir/env"
  # A start that fails half way stops what it had started (the logs stay in DIR/log).
  on_start_exit() {
    local rc=$?
    if [ "$rc" -ne 0 ]; then
      log "start failed: stopping what was started"
      stop
    fi
  }
  trap on_start_exit EXIT
  mkdir -p "$dir/mon/a" "$dir/osd/0" "$dir/rgw" "$dir/run" "$dir/log"

  local fsid mon_port rgw_port
  fsid=$(cat /proc/sys/kernel/random/uuid)
  mon_port=$(free_port)
  rgw_port=$(free_port)

  # auth none: a test cluster on loopback only. Every pool of size 1 with 8 PGs (the RGW pools
  # are ~7; the default of 32 PGs each would pass mon_max_pg_per_osd on one OSD).
  cat >"$conf" <<EOF
[global]
fsid = $fsid
mon host = [v2:127.0.0.1:$mon_port]
mon initial members = a
public addr = 127.0.0.1
cluster addr = 127.0.0.1
ms bind msgr1 = false
ms bind msgr2 = true
auth cluster required = none
auth service required = none
auth client required = none
# radosgw's built-in defaults ask for cephx and a "secure" mon session; neither exists here.
ms mon client mode = crc secure
ms client mode = crc secure
run dir = $dir/run
admin socket = $dir/run/\$name.asok
pid file = $dir/run/\$name.pid
log file = $dir/log/\$name.log
log to stderr = false
err to stderr = true
mon cluster log file = $dir/log/cluster.log
osd pool default size = 1
osd pool default min size = 1
osd pool default pg num = 8
osd pool default pgp num = 8
osd pool default pg autoscale mode = off
osd crush chooseleaf type = 0
mon allow pool size one = true
mon allow pool delete = true
mon warn on pool no redundancy = false
mon max pg per osd = 1000
mon data avail warn = 2
mon data avail crit = 1
rgw rados pool pg num min = 8
# Two cores: keep the thread pools small.
ms async op threads = 2
osd op num shards = 2
osd op num threads per shard = 1

[mon]
mon data = $dir/mon/\$id

[osd]
osd data = $dir/osd/\$id
osd objectstore = memstore
memstore device bytes = 4294967296
osd max object name len = 256
osd max object namespace len = 64

[client.rgw.a]
rgw frontends = beast endpoint=127.0.0.1:$rgw_port
rgw data = $dir/rgw
rgw thread pool size = 64
rgw enable usage log = false
EOF

  # The monitor.
  monmaptool --create --clobber --fsid "$fsid" --addv a "[v2:127.0.0.1:$mon_port]" \
    "$dir/monmap" >/dev/null
  ceph-mon -c "$conf" --mkfs -i a --monmap "$dir/monmap" >"$dir/log/mkfs-mon.out" 2>&1 ||
    { cat "$dir/log/mkfs-mon.out" >&2; die "ceph-mon --mkfs failed"; }
  spawn mon.a ceph-mon -c "$conf" -f -i a
  poll 60 "the monitor" ceph_cli mon stat || exit 1
  log "mon.a up on 127.0.0.1:$mon_port"

  # The OSD (memstore: no device, the objects are in its memory, gone when it stops).
  local osd_uuid osd_id
  osd_uuid=$(cat /proc/sys/kernel/random/uuid)
  osd_id=$(ceph_cli osd new "$osd_uuid")
  [ "$osd_id" = 0 ] || die "ceph osd new gave id '$osd_id', expected 0"
  ceph-osd -c "$conf" -i 0 --mkfs --osd-uuid "$osd_uuid" >"$dir/log/mkfs-osd.out" 2>&1 ||
    { cat "$dir/log/mkfs-osd.out" >&2; die "ceph-osd --mkfs failed"; }
  spawn osd.0 ceph-osd -c "$conf" -f -i 0
  osd_up() { ceph_cli osd stat | grep -q ' 1 up'; }
  poll 90 "osd.0 to be up" osd_up || exit 1
  log "osd.0 up"

  # The gateway. On its first start it makes the default realm/zone and its pools.
  spawn client.rgw.a radosgw -c "$conf" -f -n client.rgw.a
  local endpoint=http://127.0.0.1:$rgw_port
  rgw_answers() { curl -s -o /dev/null --max-time 5 -w '%{http_code}' "$endpoint/" | grep -q '^[1-5]'; }
  poll 120 "radosgw to answer on $endpoint" rgw_answers || exit 1
  log "radosgw answers on $endpoint"

  # The S3 user.
  local access secret
  access=CV$(head -c 1000 /dev/urandom | tr -dc 'A-Z0-9' | cut -c 1-18)
  secret=$(head -c 1000 /dev/urandom | tr -dc 'A-Za-z0-9' | cut -c 1-40)
  timeout 60 radosgw-admin -c "$conf" user create --uid=cloudvault-test \
    --display-name="CloudVault test" --access-key="$access" --secret-key="$secret" \
    >"$dir/log/user-create.out" 2>&1 ||
    { cat "$dir/log/user-create.out" >&2; die "radosgw-admin user create failed"; }

  # An authenticated ListBuckets (SigV4) proves the user is visible to the gateway. curl 7.88
  # signs no payload hash of its own: give it the empty body's, which RGW requires.
  list_buckets() {
    curl -sf -o /dev/null --max-time 5 --aws-sigv4 "aws:amz:us-east-1:s3" \
      -H "x-amz-content-sha256: e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855" \
      --user "$access:$secret" "$endpoint/"
  }
  poll 30 "the S3 user to be accepted" list_buckets || exit 1

  cat >"$dir/env" <<EOF
export CV_BLOB_TEST_ENDPOINT=$endpoint
export CV_BLOB_TEST_ACCESS_KEY=$access
export CV_BLOB_TEST_SECRET_KEY=$secret
EOF
  trap - EXIT
  log "ready: $endpoint (environment in $dir/env)"
  cat "$dir/env"
}

# --- stop -----------------------------------------------------------------------------------------
# Stops the daemons in reverse order: TERM, up to 20 s, then KILL. A pid is only signalled while
# its command line still names this DIR's ceph.conf (never a reused pid).
stop() {
  [ -d "$dir" ] || return 0
  dir=$(cd "$dir" && pwd)
  local name f pid deadline
  for name in client.rgw.a osd.0 mon.a; do
    f=$dir/run/$name.started
    [ -e "$f" ] || continue
    pid=$(cat "$f")
    if kill -0 "$pid" 2>/dev/null && tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null |
      grep -qF -- "$dir/ceph.conf"; then
      kill -TERM "$pid" 2>/dev/null || true
      deadline=$((SECONDS + 20))
      while kill -0 "$pid" 2>/dev/null && [ "$SECONDS" -lt "$deadline" ]; do sleep 0.2; done
      if kill -0 "$pid" 2>/dev/null; then
        log "$name (pid $pid) still running after 20s: KILL"
        kill -KILL "$pid" 2>/dev/null || true
      fi
    fi
    rm -f "$f"
  done
  log "stopped the daemons of $dir"
}

case "$action" in
  start) start ;;
  stop) stop ;;
  *) usage ;;
esac
