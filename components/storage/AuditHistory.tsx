import { HISTORY_FILTER_WORDS, HistoryFilters, HistoryPager } from "@/components/storage/HistoryPaging";
import { Badge } from "@/components/ui/Badge";
import { CardField, CardFields, RowCard, RowCards } from "@/components/ui/RowCards";
import { Cell, EmptyRow, Table } from "@/components/ui/Table";
import type { HistoryView } from "@/lib/admin/history";
import { ageInWords, formatBytes, formatDateTime, formatDuration } from "@/lib/format";

const KIND_WORDS: Record<string, string> = {
  rollback: "roll back",
  "clear-archive": "clear archive",
  "archive-export": "archive download",
  drill: "restore drill",
  push: "push to cloud",
  "sign-in": "failed sign-in",
  lockout: "sign-in locked",
  "cloud-check": "cloud backup checked",
  "replica-check": "replica check",
  account: "account change",
};
const SOURCE_WORDS: Record<string, string> = {
  ui: "in the browser",
  api: "by automation",
  cli: "on the command line",
  schedule: "on schedule",
};

export interface AuditRow {
  id: number;
  kind: string;
  source: string;
  actor: string;
  startedAt: Date;
  finishedAt: Date | null;
  result: string;
  bytes: number | null;
  sha256: string | null;
  detail: string;
}

/** A restore's kind as History names it: a merge or a replace (older entries do not say). */
function kindWords(row: AuditRow): string {
  const kind = KIND_WORDS[row.kind] ?? row.kind;
  if (row.kind !== "restore") return kind;
  try {
    const { mode } = JSON.parse(row.detail) as { mode?: string };
    if (mode === "merge") return "restore: merge";
    if (mode === "replace") return "restore: replace all";
  } catch {
    // Plain text detail: the kind alone.
  }
  return kind;
}

/** A failed sign-in's or lock-out's actor is the username typed: nobody known typed it. */
const triedUsername = (row: AuditRow) => row.kind === "sign-in" || row.kind === "lockout";
const who = (row: AuditRow) => (triedUsername(row) ? `username tried: ${row.actor}` : row.actor);

function summary(detail: string): string {
  try {
    const parsed = JSON.parse(detail) as unknown;
    if (parsed && typeof parsed === "object" && "summary" in parsed) {
      const { summary: text, prunedSnapshots: pruned } = parsed as { summary: unknown; prunedSnapshots?: unknown };
      return `${String(text)}${Array.isArray(pruned) && pruned.length > 0 ? `; removed ${pruned.length} older safety ${pruned.length === 1 ? "snapshot" : "snapshots"}: ${pruned.join("; ")}` : ""}`;
    }
    if (parsed && typeof parsed === "object") {
      const total = Object.values(parsed as Record<string, unknown>).reduce<number>(
        (n, v) => n + (typeof v === "number" ? v : 0),
        0,
      );
      // An export's record counts, and the file's name (older entries do not have one).
      const { file } = parsed as { file?: unknown };
      return `${total.toLocaleString("en-US")} records${typeof file === "string" ? ` in ${file}` : ""}`;
    }
  } catch {
    // Plain text detail (an error message).
  }
  return detail;
}

/** How long it took, or a dash while it runs (or if it never finished). */
function took(row: AuditRow): string {
  return row.finishedAt ? formatDuration(row.finishedAt.getTime() - row.startedAt.getTime()) : "–";
}

function Digest({ sha256 }: { sha256: string | null }) {
  if (!sha256) return "–";
  return (
    <code className="text-xs" title={sha256}>
      {sha256.slice(0, 12)}…
    </code>
  );
}

/**
 * What was exported, snapshotted or restored, newest first, a page at a time and filtered by
 * what happened: a table from the md breakpoint (768 px; it needs ~600 px), a card per entry
 * below it, each with its result on screen.
 */
export function AuditHistory({ view }: { view: HistoryView }) {
  const { rows, filter } = view;
  const { caption, empty } = HISTORY_FILTER_WORDS[filter];
  return (
    <section aria-labelledby="history-heading">
      <h2 id="history-heading" className="mb-2 scroll-mt-4 text-lg font-semibold">
        History
      </h2>
      <HistoryFilters current={filter} />
      <Table
        caption={caption}
        className="hidden md:block"
        head={["When", "What", "Who", "Result", "Size", "Took", "SHA-256", "Details"]}
      >
        {rows.length === 0 ? <EmptyRow columns={8}>{empty}</EmptyRow> : null}
        {rows.map((r) => (
          <tr key={r.id} data-testid="history-row">
            <Cell>
              {formatDateTime(r.startedAt)}
              <span className="block text-xs text-slate-500">{ageInWords(r.startedAt)}</span>
            </Cell>
            <Cell>
              <span data-testid="history-kind">{kindWords(r)}</span>
              <span className="block text-xs text-slate-500">{SOURCE_WORDS[r.source] ?? r.source}</span>
            </Cell>
            <Cell>{who(r)}</Cell>
            <Cell>
              <Badge tone={r.result === "ok" ? "green" : "red"}>{r.result}</Badge>
            </Cell>
            <Cell numeric>{formatBytes(r.bytes)}</Cell>
            <Cell numeric>{took(r)}</Cell>
            <Cell>
              <Digest sha256={r.sha256} />
            </Cell>
            <Cell>
              <span className="line-clamp-2 max-w-xs text-xs" title={summary(r.detail)}>
                {summary(r.detail)}
              </span>
            </Cell>
          </tr>
        ))}
      </Table>
      <RowCards label={caption} className="sm:grid-cols-2 md:hidden" empty={empty}>
        {rows.map((r) => (
          <RowCard key={r.id} testId="history-card">
            <div className="flex items-start justify-between gap-3">
              <h3 className="font-semibold">{kindWords(r)}</h3>
              <Badge tone={r.result === "ok" ? "green" : "red"}>{r.result}</Badge>
            </div>
            <p className="text-xs text-slate-500">
              {SOURCE_WORDS[r.source] ?? r.source}, {triedUsername(r) ? who(r) : `by ${r.actor}`}
            </p>
            <CardFields>
              <CardField label="When" wide>
                {formatDateTime(r.startedAt)}
                <span className="block text-xs text-slate-500">{ageInWords(r.startedAt)}</span>
              </CardField>
              {/* Only what a row has: an account change has no size or digest to show. */}
              {r.bytes !== null ? <CardField label="Size">{formatBytes(r.bytes)}</CardField> : null}
              <CardField label="Took">{took(r)}</CardField>
              {/* Whole here: a phone has no hover to show the rest, and it is what sha256sum prints. */}
              {r.sha256 ? (
                <CardField label="SHA-256" wide>
                  <code className="text-xs">{r.sha256}</code>
                </CardField>
              ) : null}
              <CardField label="Details" wide>
                <span className="line-clamp-3 text-xs" title={summary(r.detail)}>
                  {summary(r.detail)}
                </span>
              </CardField>
            </CardFields>
          </RowCard>
        ))}
      </RowCards>
      <HistoryPager view={view} />
    </section>
  );
}
