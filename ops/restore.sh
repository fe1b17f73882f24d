#!/usr/bin/env bash
# `make restore FILE=var/backups/<timestamp>.dump [FORCE=1]`: pg_restore --clean into DATABASE_URL.
# Refuses without FILE, and refuses a database that already holds tables unless FORCE=1.
set -euo pipefail
FILE="${1:-}"
if [ -z "$FILE" ]; then
  echo "Name the backup: make restore FILE=var/backups/<timestamp>.dump" >&2; exit 2
fi
[ -r "$FILE" ] || { echo "Cannot read $FILE." >&2; exit 2; }
: "${DATABASE_URL:?DATABASE_URL is not set: where to restore?}"
case "$DATABASE_URL" in
  postgres://*|postgresql://*) ;;
  *) echo "DATABASE_URL is not a PostgreSQL URL; restore needs PostgreSQL." >&2; exit 2 ;;
esac
TABLES=$(psql "$DATABASE_URL" -XtAc \
  "select count(*) from pg_tables where schemaname not in ('pg_catalog', 'information_schema')")
if [ "$TABLES" != "0" ] && [ "${FORCE:-}" != "1" ]; then
  echo "The database of DATABASE_URL is not empty ($TABLES tables); it would be overwritten." >&2
  echo "Restore into a new database, or add FORCE=1 to replace its contents." >&2
  exit 3
fi
# One transaction: a restore that fails half way leaves the database as it was.
pg_restore --clean --if-exists --no-owner --single-transaction --exit-on-error \
  --dbname="$DATABASE_URL" "$FILE"
echo "Restored $FILE."
