#!/usr/bin/env bash
# `make backup`: a pg_dump (custom format) of DATABASE_URL to var/backups/<UTC timestamp>.dump.
set -euo pipefail
: "${DATABASE_URL:?DATABASE_URL is not set: nothing to back up (the SQLite file is copied by hand)}"
case "$DATABASE_URL" in
  postgres://*|postgresql://*) ;;
  *) echo "DATABASE_URL is not a PostgreSQL URL; backup needs PostgreSQL." >&2; exit 2 ;;
esac
DIR="${BACKUP_DIR:-var/backups}"
mkdir -p "$DIR"
FILE="$DIR/$(date -u +%Y%m%dT%H%M%SZ).dump"
# Written under a temporary name first: a dump cut short never looks like a finished one.
pg_dump --format=custom --no-owner --dbname="$DATABASE_URL" --file="$FILE.part"
mv "$FILE.part" "$FILE"
echo "$FILE"
