#!/usr/bin/env bash
# Fetches the complete-database backup from the app's API, verifies it, and commits it to
# the database-backups branch, keeping the newest $BACKUP_KEEP dated backups. Run by
# .github/workflows/backup-database.yml; runs the same anywhere (docs/operations.md).
#
#   BACKUP_API_URL   the export endpoint (…/schedule/api/backup/database/)     required
#   BACKUP_API_KEY   the bearer key                                           required
#   BACKUP_GIT_DIR   git checkout whose "origin" receives the branch   (default: this project)
#   BACKUP_BRANCH    branch to commit to                               (default: database-backups)
#   BACKUP_KEEP      dated backups to keep                             (default: 8)
#   BACKUP_RETRIES   attempts for a failing download                   (default: 3)
#   BACKUP_RETRY_DELAY  seconds before retry n is n × this             (default: 15)
#   BACKUP_TIMEOUT   seconds per download attempt                      (default: 600)
#   BACKUP_GZIP      always | never | auto (gzip above 50 MiB; GitHub refuses files over 100 MB)
#   BACKUP_DATE      the time to name the file by, ISO 8601            (default: now)
#   BACKUP_ENCRYPT_TO  age1… public keys (comma-separated): commit only .age files; the
#                    plaintext stays in a temporary folder outside the branch and is removed
set -euo pipefail

project_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
repo=${BACKUP_GIT_DIR:-$project_dir}
branch=${BACKUP_BRANCH:-database-backups}
keep=${BACKUP_KEEP:-8}
retries=${BACKUP_RETRIES:-3}
retry_delay=${BACKUP_RETRY_DELAY:-15}
timeout=${BACKUP_TIMEOUT:-600}
gzip_mode=${BACKUP_GZIP:-auto}

fail() {
  echo "::error::$*" >&2
  exit 1
}

[ -n "${BACKUP_API_URL:-}" ] || fail "BACKUP_API_URL is not set: set the repository variable BACKUP_API_URL to https://<service>/schedule/api/backup/database/."
[ -n "${BACKUP_API_KEY:-}" ] || fail "BACKUP_API_KEY is empty: add it as a repository secret (Settings → Secrets and variables → Actions → New repository secret), equal to the server's BACKUP_API_KEY."

work=$(mktemp -d)
tree="$work/branch"
cleanup() {
  git -C "$repo" worktree remove --force "$tree" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

# The key goes to curl through a file, never on its command line (visible in `ps`).
header="$work/auth-header"
(umask 077 && printf 'Authorization: Bearer %s\n' "$BACKUP_API_KEY" >"$header")

download="$work/download.json"
status=000
for attempt in $(seq 1 "$retries"); do
  status=$(curl --silent --show-error --compressed --max-time "$timeout" --header "@$header" \
    --output "$download" --write-out '%{http_code}' "$BACKUP_API_URL") || status=000
  case "$status" in
    200) break ;;
    401) fail "The server refused the request as unauthenticated (401): BACKUP_API_KEY is missing or malformed. Set the repository secret BACKUP_API_KEY." ;;
    403) fail "The server refused the key (403): the repository secret BACKUP_API_KEY does not match the server's BACKUP_API_KEY." ;;
  esac
  echo "Attempt $attempt of $retries failed (HTTP $status)." >&2
  if [ "$attempt" -lt "$retries" ]; then sleep $((attempt * retry_delay)); fi
done
[ "$status" = 200 ] || fail "Could not download the backup from $BACKUP_API_URL after $retries attempts (last status: $status)."

report="$work/report.json"
if ! npm --prefix "$project_dir" run --silent db:verify -- --json "$download" >"$report"; then
  # shellcheck disable=SC2016 # a JavaScript template literal, not shell
  node -e 'const r = require(process.argv[1]); for (const p of r.problems) console.error(`  - ${p}`);' "$report" >&2 || true
  fail "The downloaded backup did not verify; nothing was committed."
fi
node -e 'const r = require(process.argv[1]); if (!(r.ok && r.complete && r.digest === "verified")) process.exit(1);' "$report" ||
  fail "The backup is not complete or its digest is not verified; nothing was committed."

stamp=$(date -u -d "${BACKUP_DATE:-now}" +%Y-%m-%d_%H-%M-%S)
bytes=$(stat -c %s "$download")
extension=json
if [ "$gzip_mode" = always ] || { [ "$gzip_mode" = auto ] && [ "$bytes" -gt $((50 * 1024 * 1024)) ]; }; then
  gzip -9 --no-name "$download"
  download="$download.gz"
  extension=json.gz
fi
if [ -n "${BACKUP_ENCRYPT_TO:-}" ]; then
  npm --prefix "$project_dir" run --silent backup:encrypt -- "$download" --out "$download.age" --to "$BACKUP_ENCRYPT_TO" ||
    fail "The backup could not be encrypted for BACKUP_ENCRYPT_TO (see above); nothing was committed."
  rm -f "$download"
  download="$download.age"
  extension="$extension.age"
fi
name="database_backup_${stamp}.${extension}"
file_sha256=$(sha256sum "$download" | cut -d ' ' -f 1)

if git -C "$repo" fetch --quiet origin "$branch" 2>/dev/null; then
  git -C "$repo" worktree add --quiet --detach "$tree" FETCH_HEAD
  git -C "$tree" checkout --quiet -B "$branch"
else
  echo "Creating the orphan branch $branch."
  git -C "$repo" worktree add --quiet --detach "$tree"
  git -C "$tree" checkout --quiet --orphan "$branch"
  git -C "$tree" rm -r --quiet --force . >/dev/null 2>&1 || true
  # shellcheck disable=SC2016 # literal backticks for Markdown
  printf '# Database backups\n\nWritten weekly by scripts/weekly-backup.sh; the newest %s are kept.\nCheck one with `npm run db:verify -- FILE`; restore with `npm run db:restore -- FILE`.\n' "$keep" >"$tree/README.md"
fi

mkdir -p "$tree/backups"
cp "$download" "$tree/backups/$name"
(cd "$tree/backups" && sha256sum "$name" >"$name.sha256")
rm -f "$tree/backups"/database_backup_latest.*
cp "$download" "$tree/backups/database_backup_latest.${extension}"

mapfile -t dated < <(find "$tree/backups" -maxdepth 1 -name 'database_backup_2*' ! -name '*.sha256' -printf '%f\n' | sort)
if [ "${#dated[@]}" -gt "$keep" ]; then
  for old in "${dated[@]:0:${#dated[@]}-keep}"; do
    rm -f "$tree/backups/$old" "$tree/backups/$old.sha256"
  done
fi

git -C "$tree" add --all .
git -C "$tree" -c user.name="${GIT_AUTHOR_NAME:-lab-backup-bot}" -c user.email="${GIT_AUTHOR_EMAIL:-lab-backup-bot@users.noreply.github.com}" \
  commit --quiet -m "Database backup $stamp"
git -C "$tree" push --quiet origin "HEAD:refs/heads/$branch"

# shellcheck disable=SC2016 # a JavaScript template literal, not shell
summary=$(node -e '
  const r = require(process.argv[1]);
  const rows = Object.entries(r.counts).map(([l, n]) => `| ${l} | ${n.toLocaleString("en-US")} |`).join("\n");
  const total = Object.values(r.counts).reduce((a, b) => a + b, 0);
  console.log(`### Database backup ${process.argv[2]}\n\n| model | records |\n|---|---:|\n${rows}\n| **total** | **${total.toLocaleString("en-US")}** |\n\nSize: ${(Number(process.argv[3]) / 1048576).toFixed(1)} MiB · records digest: verified · file SHA-256: \`${process.argv[5]}\` · kept: newest ${process.argv[4]}`);
' "$report" "$name" "$bytes" "$keep" "$file_sha256")
echo "$summary"
if [ -n "${GITHUB_STEP_SUMMARY:-}" ]; then echo "$summary" >>"$GITHUB_STEP_SUMMARY"; fi
