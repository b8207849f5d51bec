#!/usr/bin/env bash
# Restore drill: proves the newest off-site backup restores. Restores it into a scratch
# database with the real CLI, starts the app on it and runs the Playwright smoke test
# (sign in, machines listed, queue entries present, counts equal the backup's).
#
#   scripts/restore-drill.sh [FILE]
#
# Without FILE it takes backups/database_backup_latest.json(.gz) from the database-backups
# branch of BACKUP_GIT_DIR's origin (default: this project). DRILL_PORT (default 3218).
# An encrypted backup (.age) is opened with the private key in BACKUP_AGE_IDENTITY.
#
# When it ends, pass or fail, it pings BACKUP_HEARTBEAT_URL (scripts/ops-common.sh) and, when
# BACKUP_API_URL and BACKUP_API_KEY are set, reports the result to the app (POST …/drill/),
# so Manage Storage shows when a drill last passed.
set -euo pipefail

project_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
repo=${BACKUP_GIT_DIR:-$project_dir}
branch=${BACKUP_BRANCH:-database-backups}
# shellcheck source=scripts/ops-common.sh
. "$project_dir/scripts/ops-common.sh"
work=$(mktemp -d)
scratch="$work"
backup_name=""

report_to_app() {
  local status=$1
  [ -n "${BACKUP_API_URL:-}" ] && [ -n "${BACKUP_API_KEY:-}" ] || return 0
  local url=${BACKUP_DRILL_REPORT_URL:-${BACKUP_API_URL%database/}drill/}
  local ok=false words="see the workflow run"
  if [ "$status" = 0 ]; then ok=true words="restored and smoke-tested"; fi
  bearer_header_file "$work/auth-header"
  node -e 'console.log(JSON.stringify({ ok: process.argv[1] === "true", backup: process.argv[2] || undefined, detail: process.argv[3] }))' \
    "$ok" "$backup_name" "$words" >"$work/drill-report.json"
  curl --silent --show-error --output /dev/null --max-time 30 --fail --header "@$work/auth-header" \
    --header "Content-Type: application/json" --data "@$work/drill-report.json" "$url" ||
    echo "::warning::Could not report the drill result to the app." >&2
}

on_exit() {
  local status=$1
  report_to_app "$status"
  if [ "$status" = 0 ]; then
    job_summary "### Restore drill passed"$'\n\n'"\`${backup_name}\` restores, and the app shows its data."
  else
    job_summary "### Restore drill failed"$'\n\n'"See the log above for the reason."
  fi
  finish "$status"
}
trap 'on_exit $?' EXIT

if [ $# -ge 1 ]; then
  backup=$(realpath "$1")
else
  git -C "$repo" fetch --quiet origin "$branch" || fail "There is no $branch branch on origin to take a backup from."
  for candidate in database_backup_latest.json database_backup_latest.json.gz \
    database_backup_latest.json.age database_backup_latest.json.gz.age; do
    if git -C "$repo" cat-file -e "FETCH_HEAD:backups/$candidate" 2>/dev/null; then
      backup="$scratch/$candidate"
      git -C "$repo" show "FETCH_HEAD:backups/$candidate" >"$backup"
      break
    fi
  done
  [ -n "${backup:-}" ] || fail "The $branch branch has no backups/database_backup_latest.json."
fi
backup_name=$(basename "$backup")
echo "Drill on $backup"

export DATABASE_URL="file:$scratch/drill.sqlite3" DATA_DIR="$scratch/data"
cd "$project_dir"
npm run --silent db:restore -- "$backup" --yes

DRILL_USERNAME="drill-$(date -u +%Y%m%d%H%M%S)"
DRILL_PASSWORD=$(node -e 'console.log(require("node:crypto").randomBytes(18).toString("base64url"))')
USER_PASSWORD="$DRILL_PASSWORD" npm run --silent user:create -- --username "$DRILL_USERNAME" --staff
export DRILL_USERNAME DRILL_PASSWORD DRILL_BACKUP="$backup"

npx playwright test --config e2e/drill/playwright.config.ts
echo "Restore drill passed: $backup_name restores, and the app shows its data."
