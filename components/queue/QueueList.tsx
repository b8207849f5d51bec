import Link from "next/link";

import { Age } from "@/components/ui/Age";
import { Badge, type Tone } from "@/components/ui/Badge";
import { CardField, CardFields, RowCard, RowCards } from "@/components/ui/RowCards";
import { Cell, EmptyRow, Table } from "@/components/ui/Table";
import type { listQueue } from "@/lib/admin/queue";
import { formatDateTime } from "@/lib/format";

type QueueRow = Awaited<ReturnType<typeof listQueue>>["entries"][number];

const STATUS_TONE: Record<string, Tone> = { queued: "blue", running: "amber", completed: "green", cancelled: "gray" };
const CAPTION = "Queue entries";

/**
 * The queue entries of one page: a table from the lg breakpoint (it needs ~760 px), a card per
 * entry below it. `showAll`: where every entry is listed, offered when a filter finds none.
 */
export function QueueList({ entries, showAll }: { entries: QueueRow[]; showAll?: string }) {
  const empty = (
    <>
      No queue entries match.{" "}
      {showAll ? (
        <Link href={showAll} className="text-sky-700 underline">
          Show every queue entry
        </Link>
      ) : null}
    </>
  );
  return (
    <>
      <Table
        caption={CAPTION}
        className="hidden lg:block"
        head={["Machine", "Position", "Title", "User", "Status", "Duration", "Submitted"]}
      >
        {entries.length === 0 ? <EmptyRow columns={7}>{empty}</EmptyRow> : null}
        {entries.map((e) => (
          <tr key={e.id} data-testid="queue-row">
            <Cell>
              <Machine entry={e} />
            </Cell>
            <Cell numeric>{e.queuePosition ?? "–"}</Cell>
            <Cell>
              <Title entry={e} />
            </Cell>
            <Cell>{e.user.username}</Cell>
            <Cell>
              <Status entry={e} />
            </Cell>
            <Cell numeric>{e.estimatedDurationHours} h</Cell>
            <Cell>
              <span className="whitespace-nowrap">
                <Submitted entry={e} />
              </span>
            </Cell>
          </tr>
        ))}
      </Table>
      <RowCards label={CAPTION} className="sm:grid-cols-2 lg:hidden" empty={empty}>
        {entries.map((e) => (
          <RowCard key={e.id} testId="queue-card">
            <div className="flex items-start justify-between gap-3">
              <h2 className="font-semibold [overflow-wrap:anywhere]">
                <Title entry={e} />
              </h2>
              <Status entry={e} />
            </div>
            <CardFields>
              <CardField label="Machine">
                <Machine entry={e} />
              </CardField>
              <CardField label="Position">{e.queuePosition ?? "–"}</CardField>
              <CardField label="User">{e.user.username}</CardField>
              <CardField label="Duration">{e.estimatedDurationHours} h</CardField>
              <CardField label="Submitted" wide>
                <Submitted entry={e} />
              </CardField>
            </CardFields>
          </RowCard>
        ))}
      </RowCards>
    </>
  );
}

function Machine({ entry }: { entry: QueueRow }) {
  return entry.assignedMachine?.name ?? <span className="text-slate-500">{entry.machineNameText || "unassigned"}</span>;
}

function Title({ entry }: { entry: QueueRow }) {
  return (
    <>
      {entry.title}
      {entry.isRushJob ? (
        <>
          {" "}
          <Badge tone="red">rush</Badge>
        </>
      ) : null}
    </>
  );
}

function Status({ entry }: { entry: QueueRow }) {
  return <Badge tone={STATUS_TONE[entry.status] ?? "gray"}>{entry.status}</Badge>;
}

/** When it was submitted, and how long it has waited ("3 days ago"). */
function Submitted({ entry }: { entry: QueueRow }) {
  return (
    <>
      <time dateTime={entry.submittedAt.toISOString()}>{formatDateTime(entry.submittedAt)}</time>
      <span className="block text-xs text-slate-500">
        <Age of={entry.submittedAt} />
      </span>
    </>
  );
}
