#!/usr/bin/env bash
# Start a throwaway PostgreSQL server for the test suite.
#
#   scripts/start-postgres.sh DIR PORT
#
# Initialises a cluster in DIR/data (once; an existing cluster is reused), owned by the
# `postgres` OS user when run as root, and starts it listening on 127.0.0.1:PORT with its
# Unix socket in DIR and its log in DIR/log. Authentication is `trust`, so connect as
#   postgres://postgres@127.0.0.1:PORT/postgres
# The settings trade durability for speed (fsync off): for tests only, never for real data.
# Installs nothing: needs Debian's `postgresql` package (binaries in /usr/lib/postgresql/*/bin).
# Stop it with scripts/stop-postgres.sh DIR.
set -euo pipefail

usage() { echo "usage: $0 DIR PORT" >&2; exit 2; }
[[ $# -eq 2 ]] || usage
dir=$1
port=$2
[[ $port =~ ^[0-9]+$ ]] && (( port > 0 && port < 65536 )) || { echo "start-postgres: bad port '$port'" >&2; exit 2; }

# Find the server binaries: the newest /usr/lib/postgresql/N/bin, else whatever is on PATH.
find_bindir() {
    local candidate
    candidate=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
    if [[ -n $candidate && -x $candidate/initdb && -x $candidate/pg_ctl ]]; then
        echo "$candidate"; return 0
    fi
    if command -v pg_config >/dev/null 2>&1; then
        candidate=$(pg_config --bindir 2>/dev/null || true)
        if [[ -n $candidate && -x $candidate/initdb && -x $candidate/pg_ctl ]]; then
            echo "$candidate"; return 0
        fi
    fi
    if command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1; then
        dirname "$(readlink -f "$(command -v initdb)")"; return 0
    fi
    return 1
}
bindir=$(find_bindir) || {
    echo "start-postgres: no initdb/pg_ctl found (install Debian's 'postgresql' package)" >&2
    exit 1
}

mkdir -p "$dir"
dir=$(cd "$dir" && pwd -P)

# As root the cluster belongs to the `postgres` user (PostgreSQL refuses to run as root);
# otherwise it belongs to whoever runs this script.
as_owner=()
if [[ $(id -u) -eq 0 ]]; then
    id postgres >/dev/null 2>&1 || { echo "start-postgres: no 'postgres' OS user (is the postgresql package installed?)" >&2; exit 1; }
    chown -R postgres:postgres "$dir"
    chmod 700 "$dir"
    as_owner=(runuser -u postgres --)
    if ! "${as_owner[@]}" test -w "$dir"; then
        echo "start-postgres: user 'postgres' cannot write $dir (is a parent directory private to root?)" >&2
        exit 1
    fi
fi
run() { "${as_owner[@]}" "$@"; }

data=$dir/data
if [[ ! -f $data/PG_VERSION ]]; then
    echo "start-postgres: initdb $data ($bindir)"
    if ! run "$bindir/initdb" -D "$data" -U postgres --auth-local=trust --auth-host=trust \
            -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1; then
        echo "start-postgres: initdb failed:" >&2
        cat "$dir/initdb.log" >&2
        exit 1
    fi
fi

if run "$bindir/pg_ctl" -D "$data" status >/dev/null 2>&1; then
    echo "start-postgres: already running in $data"
    exit 0
fi

echo "start-postgres: starting on 127.0.0.1:$port (log: $dir/log)"
if ! run "$bindir/pg_ctl" -D "$data" -w -t 60 \
        -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c max_connections=300 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
        -l "$dir/log" start >/dev/null; then
    echo "start-postgres: server did not start; its log:" >&2
    tail -n 50 "$dir/log" >&2 || true
    exit 1
fi

# Prove it answers over TCP, the way the tests connect.
for _ in $(seq 1 30); do
    if "$bindir/pg_isready" -q -h 127.0.0.1 -p "$port" -U postgres; then
        echo "start-postgres: ready at postgres://postgres@127.0.0.1:$port/postgres"
        exit 0
    fi
    sleep 1
done
echo "start-postgres: server started but does not answer on 127.0.0.1:$port; its log:" >&2
tail -n 50 "$dir/log" >&2 || true
exit 1
