#!/usr/bin/env bash
# scripts/postgres.sh start|status: the local PostgreSQL server the tests use
# (127.0.0.1:5432, role root, database test), started when it is not running.
# Installs Debian's postgresql package when no server is installed at all.
set -euo pipefail
ready() { pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; }
case "${1:-start}" in
  status)
    if ready; then echo "PostgreSQL is accepting connections on 127.0.0.1:5432"; else echo "PostgreSQL is not running"; exit 1; fi ;;
  start)
    ready && exit 0
    if ! ls /etc/postgresql/*/main >/dev/null 2>&1; then
      (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql) >/dev/null
    fi
    version=$(ls /etc/postgresql | sort -V | tail -1)
    pg_ctlcluster --skip-systemctl-redirect "$version" main start 2>/dev/null || pg_ctlcluster "$version" main start
    for _ in $(seq 60); do ready && break; sleep 0.5; done
    ready || { echo "scripts/postgres.sh: PostgreSQL did not start" >&2; exit 1; }
    # The role and database the tests use (trust authentication on this machine).
    if ! psql -h 127.0.0.1 -U root -d postgres -tAc "select 1" >/dev/null 2>&1; then
      su postgres -c "psql -qc \"CREATE ROLE root SUPERUSER LOGIN\"" || true
    fi
    psql -h 127.0.0.1 -U root -d postgres -tAc "select 1 from pg_database where datname = 'test'" | grep -q 1 \
      || psql -h 127.0.0.1 -U root -d postgres -qc "CREATE DATABASE test"
    echo "PostgreSQL started on 127.0.0.1:5432" ;;
  *) echo "usage: scripts/postgres.sh start|status" >&2; exit 2 ;;
esac
