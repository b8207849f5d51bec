// Display formatting shared by pages, CLIs and benchmarks.

const UNITS = ["B", "KiB", "MiB", "GiB", "TiB"];

export function formatBytes(bytes: number | bigint | null | undefined): string {
  if (bytes === null || bytes === undefined) return "–";
  let value = Number(bytes);
  let unit = 0;
  while (Math.abs(value) >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${unit === 0 ? value : value.toFixed(1)} ${UNITS[unit]}`;
}

export function formatCount(n: number | bigint): string {
  return Number(n).toLocaleString("en-US");
}

const PRECISION = { day: 10, minute: 16, second: 19 } as const;

/**
 * `2024-01-02 03:04 UTC` (`to: "second"`: `2024-01-02 03:04:05 UTC`; `to: "day"`: `2024-01-02`,
 * the UTC day): unambiguous for a lab spread over time zones. The one way a time is written
 * for people, in pages, CLIs and History.
 */
export function formatDateTime(
  value: Date | string | null | undefined,
  { to = "minute" }: { to?: keyof typeof PRECISION } = {},
): string {
  if (!value) return "–";
  const date = typeof value === "string" ? new Date(value) : value;
  if (Number.isNaN(date.getTime())) return "–";
  const text = date.toISOString().slice(0, PRECISION[to]).replace("T", " ");
  return to === "day" ? text : `${text} UTC`;
}

export function formatDuration(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(2)} s`;
}

/** `record` / `records`: English plural by count. */
export function plural(n: number, noun: string, many = `${noun}s`): string {
  return n === 1 ? noun : many;
}

/** How long ago, in words: `just now`, `5 minutes ago`, `3 hours ago`, `374 days ago`. */
export function ageInWords(value: Date | string, now = new Date()): string {
  const date = typeof value === "string" ? new Date(value) : value;
  const seconds = Math.round((now.getTime() - date.getTime()) / 1000);
  if (Number.isNaN(seconds)) return "at an unknown time";
  if (seconds < 0) return "in the future";
  if (seconds < 90) return "just now";
  const days = seconds / 86_400;
  // "1,954 days ago" is a count to work out; the exact date beside an age gives the detail.
  const [amount, unit] =
    seconds < 5400
      ? [Math.round(seconds / 60), "minute"]
      : seconds < 129_600
        ? [Math.round(seconds / 3600), "hour"]
        : days < 60
          ? [Math.round(days), "day"]
          : days < 730
            ? [Math.round(days / 30.44), "month"]
            : [Math.round(days / 365.25), "year"];
  return `${formatCount(amount)} ${plural(amount, unit)} ago`;
}

/** `8 days`, `36 hours`: a limit given in hours, in the largest whole unit. */
export function hoursInWords(hours: number): string {
  if (hours >= 24 && hours % 24 === 0) return `${formatCount(hours / 24)} ${plural(hours / 24, "day")}`;
  return `${formatCount(hours)} ${plural(hours, "hour")}`;
}

/** `45 seconds`, `4 minutes`, `1 hour`: a wait, rounded up so nobody is told to come back too soon. */
export function waitInWords(seconds: number): string {
  const s = Math.max(1, Math.ceil(seconds));
  if (s < 60) return `${s} ${plural(s, "second")}`;
  const minutes = Math.ceil(s / 60);
  if (minutes < 60) return `${minutes} ${plural(minutes, "minute")}`;
  const hours = Math.ceil(minutes / 60);
  return `${formatCount(hours)} ${plural(hours, "hour")}`;
}

/** An error's message for a sentence: its `message`, or the thrown value as text. */
export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
