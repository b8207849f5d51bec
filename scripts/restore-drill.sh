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
set -euo pipefail

project_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
repo=${BACKUP_GIT_DIR:-$project_dir}
branch=${BACKUP_BRANCH:-database-backups}
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

fail() {
  echo "::error::$*" >&2
  exit 1
}

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
echo "Drill on $backup"

export DATABASE_URL="file:$scratch/drill.sqlite3" DATA_DIR="$scratch/data"
cd "$project_dir"
npm run --silent db:restore -- "$backup" --yes

DRILL_USERNAME="drill-$(date -u +%Y%m%d%H%M%S)"
DRILL_PASSWORD=$(node -e 'console.log(require("node:crypto").randomBytes(18).toString("base64url"))')
USER_PASSWORD="$DRILL_PASSWORD" npm run --silent user:create -- --username "$DRILL_USERNAME" --staff
export DRILL_USERNAME DRILL_PASSWORD DRILL_BACKUP="$backup"

npx playwright test --config e2e/drill/playwright.config.ts
echo "Restore drill passed: $backup restores, and the app shows its data."
