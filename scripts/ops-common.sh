#!/usr/bin/env bash
# Shared by weekly-backup.sh and restore-drill.sh (sourced, not run).
#
#   BACKUP_HEARTBEAT_URL  optional: pinged on success, and at …/fail on failure (the convention
#                         of healthchecks.io and similar dead-man's switches), so a monitor
#                         notices when the job stops running as well as when it fails.

fail() {
  echo "::error::$*" >&2
  exit 1
}

# Never fails the job: a monitor that cannot be reached is worth a warning, not a lost backup.
# The URL is not printed: such URLs usually embed the check's secret.
heartbeat() {
  [ -n "${BACKUP_HEARTBEAT_URL:-}" ] || return 0
  curl --silent --output /dev/null --max-time 10 --retry 2 "${BACKUP_HEARTBEAT_URL%/}$1" ||
    echo "::warning::The heartbeat ping (BACKUP_HEARTBEAT_URL$1) did not go through." >&2
}

# Runs at exit: pings the heartbeat with the outcome, then removes the scratch folder.
finish() {
  local status=$1
  if [ "$status" = 0 ]; then heartbeat ""; else heartbeat /fail; fi
  [ -z "${work:-}" ] || rm -rf "$work"
  return "$status"
}

# Writes the bearer-key header to a private file: the key never goes on a command line (`ps`).
bearer_header_file() {
  (umask 077 && printf 'Authorization: Bearer %s\n' "$BACKUP_API_KEY" >"$1")
}

# Appends Markdown to the GitHub job summary when running in Actions, and prints it.
job_summary() {
  echo "$1"
  if [ -n "${GITHUB_STEP_SUMMARY:-}" ]; then echo "$1" >>"$GITHUB_STEP_SUMMARY"; fi
}
