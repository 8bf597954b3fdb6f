#!/usr/bin/env bash
# A PostgreSQL cluster the metadata store's tests share under ctest (a FIXTURES_SETUP /
# FIXTURES_CLEANUP pair in tests/unit/CMakeLists.txt): `start DIR` initdb's DIR/data and starts
# the server on a Unix socket in DIR (no TCP port, fsync off); `stop DIR` stops it and removes
# DIR. Each test then creates a database of its own on it (tests/unit/meta/postgres_test_server.h,
# told the socket folder by $CV_TEST_PG_HOST). Under root, PostgreSQL runs as `postgres`.
set -euo pipefail
action=${1:?start or stop}
dir=${2:?folder}
bindir=${CV_PG_BINDIR:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)}
[[ -x "$bindir/initdb" ]] || { echo "no PostgreSQL server binaries (install postgresql)" >&2; exit 1; }
as_user=()
if [[ $(id -u) -eq 0 ]]; then as_user=(runuser -u postgres --); fi
case "$action" in
  start)
    "$0" stop "$dir" 2>/dev/null || true
    mkdir -p "$dir"
    if [[ $(id -u) -eq 0 ]]; then chown postgres "$dir"; fi
    "${as_user[@]}" "$bindir/initdb" -D "$dir/data" -A trust -U cloudvault -E UTF8 --locale=C \
      --no-sync > "$dir/initdb.log" 2>&1
    "${as_user[@]}" "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
      -o "-k $dir -c listen_addresses='' -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=400" \
      start > /dev/null
    ;;
  stop)
    if [[ -f "$dir/data/postmaster.pid" ]]; then
      "${as_user[@]}" "$bindir/pg_ctl" -D "$dir/data" -m immediate -w stop > /dev/null 2>&1 || true
    fi
    rm -rf "$dir"
    ;;
  *) echo "usage: $0 start|stop DIR" >&2; exit 2 ;;
esac
