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
#   BACKUP_GZIP      always | never | auto (gzip above 50 MiB, GitHub refusing files over 100 MB;
#                    and always when encrypting, since git cannot compress ciphertext)
#   BACKUP_DATE      the time to name the file by, ISO 8601            (default: now)
#   BACKUP_ENCRYPT_TO  age1… public keys (comma-separated): commit only .age files; the
#                    plaintext stays in a temporary folder outside the branch and is removed
#   BACKUP_HEARTBEAT_URL  pinged on success, …/fail on failure (scripts/ops-common.sh)
set -euo pipefail

project_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
repo=${BACKUP_GIT_DIR:-$project_dir}
branch=${BACKUP_BRANCH:-database-backups}
keep=${BACKUP_KEEP:-8}
retries=${BACKUP_RETRIES:-3}
retry_delay=${BACKUP_RETRY_DELAY:-15}
timeout=${BACKUP_TIMEOUT:-600}
gzip_mode=${BACKUP_GZIP:-auto}

# shellcheck source=scripts/ops-common.sh
. "$project_dir/scripts/ops-common.sh"
work=""
trap 'finish $?' EXIT

[ -n "${BACKUP_API_URL:-}" ] || fail "BACKUP_API_URL is not set: set the repository variable BACKUP_API_URL to https://<service>/schedule/api/backup/database/."
[ -n "${BACKUP_API_KEY:-}" ] || fail "BACKUP_API_KEY is empty: add it as a repository secret (Settings → Secrets and variables → Actions → New repository secret), equal to the server's BACKUP_API_KEY."

work=$(mktemp -d)
header="$work/auth-header"
bearer_header_file "$header"

# The server gzips the .json.gz form at a fast level while it exports (format=json.gz): much
# less of its time than compressing in transit. Unpacked here; compressed again below for the branch.
case "$BACKUP_API_URL" in *\?*) url="$BACKUP_API_URL&format=json.gz" ;; *) url="$BACKUP_API_URL?format=json.gz" ;; esac
fetched="$work/fetched.json.gz"
download="$work/download.json"
status=000
last=""
for attempt in $(seq 1 "$retries"); do
  status=$(curl --silent --show-error --max-time "$timeout" --header "@$header" \
    --output "$fetched" --write-out '%{http_code}' "$url") || status=000
  case "$status" in
    200)
      gzip -dc "$fetched" >"$download" 2>/dev/null && rm -f "$fetched" && break
      status=000
      last="a download cut short"
      echo "Attempt $attempt of $retries failed: the download was cut short (not a whole gzip file)." >&2
      ;;
    401) fail "The server refused the request as unauthenticated (401): BACKUP_API_KEY is missing or malformed. Set the repository secret BACKUP_API_KEY." ;;
    403) fail "The server refused the key (403): the repository secret BACKUP_API_KEY does not match the server's BACKUP_API_KEY." ;;
    *)
      last="status: $status"
      echo "Attempt $attempt of $retries failed (HTTP $status)." >&2
      ;;
  esac
  if [ "$attempt" -lt "$retries" ]; then sleep $((attempt * retry_delay)); fi
done
[ "$status" = 200 ] || fail "Could not download the backup from $BACKUP_API_URL after $retries attempts (last $last)."

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
if [ "$gzip_mode" = always ] || { [ "$gzip_mode" = auto ] && { [ "$bytes" -gt $((50 * 1024 * 1024)) ] || [ -n "${BACKUP_ENCRYPT_TO:-}" ]; }; }; then
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

# The branch is rebuilt on every run: one commit per kept backup, oldest first, so no commit
# reachable from it holds a backup older than the newest $keep (deleting files in a new commit
# would leave every old blob in the history, and the repository would grow by a backup a week).
# Blobs of the kept backups are reused from the fetched branch, so nothing is downloaded twice.
old_head=""
declare -A blob_of=()
if remote_ref=$(git -C "$repo" ls-remote --exit-code origin "refs/heads/$branch"); then
  old_head=${remote_ref%%[[:space:]]*}
  git -C "$repo" fetch --quiet origin "$branch" || fail "Could not fetch the $branch branch from origin."
  while IFS=$'\t' read -r meta path; do
    blob_of[${path#backups/}]=${meta##* }
  done < <(git -C "$repo" ls-tree FETCH_HEAD backups/)
else
  ls_status=$?
  [ "$ls_status" = 2 ] || fail "Could not reach origin to read the $branch branch (git ls-remote exit $ls_status)."
  echo "Creating the branch $branch."
fi
blob_of[$name]=$(git -C "$repo" hash-object -w "$download")
blob_of[$name.sha256]=$(printf '%s  %s\n' "$file_sha256" "$name" | git -C "$repo" hash-object -w --stdin)

mapfile -t kept < <(printf '%s\n' "${!blob_of[@]}" | grep -E '^database_backup_2[^/]*[0-9]\.json(\.gz)?(\.age)?$' | sort -u | tail -n "$keep")
# shellcheck disable=SC2016 # literal backticks for Markdown
readme=$(printf '# Database backups\n\nWritten weekly by scripts/weekly-backup.sh. The whole history of this branch holds the newest %s\nbackups and nothing older: every run rebuilds it as one commit per kept backup and force-pushes it\n(with a lease, so two runs cannot overwrite each other). Check one with `npm run db:verify -- FILE`;\nrestore with `npm run db:restore -- FILE` (add `--identity KEYFILE` for .age files).\n' "$keep" |
  git -C "$repo" hash-object -w --stdin)

bot_name=${GIT_AUTHOR_NAME:-lab-backup-bot}
bot_email=${GIT_AUTHOR_EMAIL:-lab-backup-bot@users.noreply.github.com}
index="$work/index"
parent=""
for i in "${!kept[@]}"; do
  rm -f "$index"
  entries=("100644,$readme,README.md")
  for file in "${kept[@]:0:i+1}"; do
    entries+=("100644,${blob_of[$file]},backups/$file")
    sha_blob=${blob_of[$file.sha256]:-}
    [ -n "$sha_blob" ] && entries+=("100644,$sha_blob,backups/$file.sha256")
  done
  newest=${kept[$i]}
  if [ "$i" = $((${#kept[@]} - 1)) ]; then
    entries+=("100644,${blob_of[$newest]},backups/database_backup_latest.${newest#*.}")
  fi
  for entry in "${entries[@]}"; do GIT_INDEX_FILE="$index" git -C "$repo" update-index --add --cacheinfo "$entry"; done
  tree_id=$(GIT_INDEX_FILE="$index" git -C "$repo" write-tree)
  when=$(echo "$newest" | sed -E 's/^database_backup_([0-9-]{10})_([0-9]{2})-([0-9]{2})-([0-9]{2}).*/\1T\2:\3:\4Z/')
  parent=$(GIT_AUTHOR_DATE="$when" GIT_COMMITTER_DATE="$when" \
    GIT_AUTHOR_NAME="$bot_name" GIT_AUTHOR_EMAIL="$bot_email" GIT_COMMITTER_NAME="$bot_name" GIT_COMMITTER_EMAIL="$bot_email" \
    git -C "$repo" commit-tree "$tree_id" ${parent:+-p "$parent"} -m "Database backup ${newest#database_backup_}")
done

# The lease: the push succeeds only if the branch is still where this run read it (or still
# absent), so a concurrent run cannot silently drop the other's backup.
git -C "$repo" push --quiet --force-with-lease="refs/heads/$branch:$old_head" origin "$parent:refs/heads/$branch" ||
  fail "The $branch branch changed while this run was working (another run?); nothing was overwritten. Run the workflow again."

# Only now is the copy off-site: tell the app what is stored (name, size, SHA-256). The app
# counts nothing it was not told was stored, so an export fetched by a run that then failed
# leaves its status as it was; a run whose report does not get through fails.
where="github.com/${GITHUB_REPOSITORY:-origin} ($branch)"
[ -n "${GITHUB_REPOSITORY:-}" ] || where="the $branch branch of origin"
node -e 'console.log(JSON.stringify({ name: process.argv[1], bytes: Number(process.argv[2]), sha256: process.argv[3], target: process.argv[4] }))' \
  "$name" "$(stat -c %s "$download")" "$file_sha256" "$where" >"$work/stored.json"
curl --silent --show-error --output /dev/null --max-time 30 --retry 2 --fail --header "@$header" \
  --header "Content-Type: application/json" --data "@$work/stored.json" \
  "${BACKUP_STORED_REPORT_URL:-${BACKUP_API_URL%database/}stored/}" ||
  fail "$name is on the $branch branch, but the app could not be told: its off-site status will not count it. Run the workflow again."

# shellcheck disable=SC2016 # a JavaScript template literal, not shell
summary=$(node -e '
  const r = require(process.argv[1]);
  const rows = Object.entries(r.counts).map(([l, n]) => `| ${r.names[l]} | ${n.toLocaleString("en-US")} |`).join("\n");
  const total = Object.values(r.counts).reduce((a, b) => a + b, 0);
  console.log(`### Database backup ${process.argv[2]}\n\n| entity | records |\n|---|---:|\n${rows}\n| **total** | **${total.toLocaleString("en-US")}** |\n\nSize: ${(Number(process.argv[3]) / 1048576).toFixed(1)} MiB · records digest: verified · file SHA-256: \`${process.argv[5]}\` · kept: newest ${process.argv[4]}`);
' "$report" "$name" "$bytes" "$keep" "$file_sha256")
job_summary "$summary"
