import { Age } from "@/components/ui/Age";
import { Badge, YesNo, type Tone } from "@/components/ui/Badge";
import { CardField, CardFields, RowCard, RowCards } from "@/components/ui/RowCards";
import { Cell, EmptyRow, Table } from "@/components/ui/Table";
import type { listMachines } from "@/lib/admin/machines";
import { formatDateTime } from "@/lib/format";

type MachineRow = Awaited<ReturnType<typeof listMachines>>["machines"][number];

const STATUS_TONE: Record<string, Tone> = { idle: "green", running: "blue", cooldown: "amber", maintenance: "red" };
const CAPTION = "Machines";

/** The machines of one page: a table from the lg breakpoint (it needs ~900 px), a card per machine below it. */
export function MachineList({ machines }: { machines: MachineRow[] }) {
  return (
    <>
      <Table
        caption={CAPTION}
        className="hidden lg:block"
        head={[
          "Name",
          "Status",
          "Available",
          "Queue",
          "Temperature",
          "Range",
          "Cool-down / warm-up",
          "Current user",
          "Location",
        ]}
      >
        {machines.length === 0 ? <EmptyRow columns={9}>No machines yet.</EmptyRow> : null}
        {machines.map((m) => (
          <tr key={m.id} data-testid="machine-row">
            <Cell>
              <span className="font-medium">{m.name}</span>
            </Cell>
            <Cell>
              <Status machine={m} />
            </Cell>
            <Cell>
              <YesNo value={m.isAvailable} />
            </Cell>
            <Cell numeric>{m.queueLength} queued</Cell>
            <Cell numeric>
              <Temperature machine={m} />
            </Cell>
            <Cell numeric>{rangeText(m)}</Cell>
            <Cell numeric>{coolDownText(m)}</Cell>
            <Cell>{m.currentUser?.username ?? "–"}</Cell>
            <Cell>{m.location || "–"}</Cell>
          </tr>
        ))}
      </Table>
      <RowCards label={CAPTION} className="sm:grid-cols-2 lg:hidden" empty="No machines yet.">
        {machines.map((m) => (
          <RowCard key={m.id} testId="machine-card">
            <div className="flex items-start justify-between gap-3">
              <h2 className="text-base font-semibold [overflow-wrap:anywhere]">{m.name}</h2>
              <Status machine={m} />
            </div>
            <CardFields>
              <CardField label="Available">
                <YesNo value={m.isAvailable} />
              </CardField>
              <CardField label="Queue">{m.queueLength} queued</CardField>
              <CardField label="Temperature">
                <Temperature machine={m} />
              </CardField>
              <CardField label="Range">{rangeText(m)}</CardField>
              <CardField label="Cool-down / warm-up">{coolDownText(m)}</CardField>
              <CardField label="Current user">{m.currentUser?.username ?? "–"}</CardField>
              <CardField label="Location" wide>
                {m.location || "–"}
              </CardField>
            </CardFields>
          </RowCard>
        ))}
      </RowCards>
    </>
  );
}

function Status({ machine }: { machine: MachineRow }) {
  return <Badge tone={STATUS_TONE[machine.currentStatus] ?? "gray"}>{machine.currentStatus}</Badge>;
}

/**
 * The last reading, whether the machine answered the last time it was asked (cachedOnline), and
 * how long ago that was: a reading from last week is not the temperature now.
 */
function Temperature({ machine }: { machine: MachineRow }) {
  const { cachedTemperature: kelvin, cachedOnline: online, lastTempUpdate: at } = machine;
  return (
    <>
      {kelvin === null ? "No reading" : `${kelvin.toFixed(3)} K`}
      <span className="block whitespace-normal text-xs text-slate-500">
        {online ? null : <span className="font-medium text-amber-800">Not answering · </span>}
        {at ? (
          <>
            <Age of={at} /> ({formatDateTime(at)})
          </>
        ) : (
          "never read"
        )}
      </span>
    </>
  );
}

const rangeText = (m: MachineRow) => `${m.minTemp} – ${m.maxTemp} K`;
const coolDownText = (m: MachineRow) => `${m.cooldownHours} h / ${m.warmupHours} h`;
