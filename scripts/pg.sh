#!/usr/bin/env bash
# PostgreSQL for pbm-nlp's tests and for trying the PostgreSQL store on one machine.
#   scripts/pg.sh install           Debian's postgresql server binaries (as root; no cluster is started)
#   scripts/pg.sh start DIR PORT    a throw-away cluster in DIR (initdb, trust auth, 127.0.0.1:PORT only)
#   scripts/pg.sh stop DIR          stop it (the caller removes DIR)
#   scripts/pg.sh bindir            print the folder holding initdb/pg_ctl (exit 1 if none)
# As root, initdb and the server run as the 'postgres' user (PostgreSQL refuses to run as root).
set -euo pipefail

bindir() {
  if command -v pg_ctl >/dev/null 2>&1 && command -v initdb >/dev/null 2>&1; then
    dirname "$(readlink -f "$(command -v pg_ctl)")"; return 0
  fi
  local d
  for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ] && { echo "$d"; return 0; }
  done
  return 1
}

as_owner() {  # run a server binary as the data folder's owner (postgres when we are root)
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

case "${1:-}" in
  install)
    if bindir >/dev/null; then exit 0; fi
    if [ "$(id -u)" != 0 ]; then
      echo "PostgreSQL is not installed; run as root: apt-get install postgresql" >&2; exit 1
    fi
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null
    apt-get install -y -qq postgresql >/dev/null
    # the Debian package starts a system cluster; the tests use their own throw-away ones
    (command -v pg_ctlcluster >/dev/null && pg_lsclusters -h 2>/dev/null | while read -r ver name _; do
       pg_ctlcluster "$ver" "$name" stop 2>/dev/null || true; done) || true
    bindir >/dev/null
    ;;
  start)
    dir=${2:?usage: pg.sh start DIR PORT}; port=${3:?usage: pg.sh start DIR PORT}
    bin=$(bindir) || { echo "PostgreSQL server binaries not found: run scripts/pg.sh install" >&2; exit 1; }
    mkdir -p "$dir"
    [ "$(id -u)" = 0 ] && chown postgres "$dir"
    as_owner "$bin/initdb" -D "$dir/data" -A trust -U postgres -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
      || { cat "$dir/initdb.log" >&2; exit 1; }
    as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start \
      -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c max_connections=100" \
      >/dev/null || { cat "$dir/server.log" >&2; exit 1; }
    ;;
  stop)
    dir=${2:?usage: pg.sh stop DIR}
    bin=$(bindir) || exit 0
    [ -d "$dir/data" ] && as_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w -t 60 stop >/dev/null 2>&1 || true
    ;;
  bindir)
    bindir
    ;;
  *)
    sed -n 2,7p "$0" >&2; exit 2
    ;;
esac
