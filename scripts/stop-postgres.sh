#!/usr/bin/env bash
# Stop a server started by scripts/start-postgres.sh DIR PORT.
#
#   scripts/stop-postgres.sh DIR
#
# Does nothing (and succeeds) when no server runs in DIR/data. Leaves the files in place.
set -euo pipefail

[[ $# -eq 1 ]] || { echo "usage: $0 DIR" >&2; exit 2; }
dir=$1
data=$dir/data
[[ -f $data/PG_VERSION ]] || { echo "stop-postgres: no cluster in $data"; exit 0; }

bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
if [[ -z $bindir || ! -x $bindir/pg_ctl ]]; then
    if command -v pg_ctl >/dev/null 2>&1; then
        bindir=$(dirname "$(readlink -f "$(command -v pg_ctl)")")
    else
        echo "stop-postgres: pg_ctl not found" >&2; exit 1
    fi
fi

as_owner=()
if [[ $(id -u) -eq 0 ]]; then as_owner=(runuser -u postgres --); fi
run() { "${as_owner[@]}" "$@"; }

if ! run "$bindir/pg_ctl" -D "$data" status >/dev/null 2>&1; then
    echo "stop-postgres: not running ($data)"
    exit 0
fi
if run "$bindir/pg_ctl" -D "$data" -m fast -w -t 60 stop >/dev/null; then
    echo "stop-postgres: stopped ($data)"
    exit 0
fi
echo "stop-postgres: fast shutdown did not finish; trying immediate" >&2
run "$bindir/pg_ctl" -D "$data" -m immediate -w -t 30 stop >/dev/null
echo "stop-postgres: stopped ($data)"
