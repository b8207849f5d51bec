import type { Metadata } from "next";

import { PageHeader } from "@/components/admin/PageHeader";
import { Badge, YesNo, type Tone } from "@/components/ui/Badge";
import { Pagination } from "@/components/ui/Pagination";
import { Cell, EmptyRow, Table } from "@/components/ui/Table";
import { listMachines } from "@/lib/admin/machines";
import { pageFrom } from "@/lib/admin/pagination";
import { requireStaffPage } from "@/lib/auth/guard";
import { formatDateTime } from "@/lib/format";

export const metadata: Metadata = { title: "Machines" };

const STATUS_TONE: Record<string, Tone> = { idle: "green", running: "blue", cooldown: "amber", maintenance: "red" };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function MachinesPage({ searchParams }: Props) {
  await requireStaffPage("/admin/machines");
  const { window, machines } = await listMachines(pageFrom(await searchParams));
  return (
    <>
      <PageHeader title="Machines">Cryostats by name, with their status and how many jobs wait for each.</PageHeader>
      <Table
        caption="Machines"
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
              <Badge tone={STATUS_TONE[m.currentStatus] ?? "gray"}>{m.currentStatus}</Badge>
            </Cell>
            <Cell>
              <YesNo value={m.isAvailable} />
            </Cell>
            <Cell numeric>{m.queueLength} queued</Cell>
            <Cell numeric>
              {m.cachedTemperature === null ? "offline" : `${m.cachedTemperature.toFixed(3)} K`}
              <span className="block text-xs text-slate-500">{formatDateTime(m.lastTempUpdate)}</span>
            </Cell>
            <Cell numeric>
              {m.minTemp} – {m.maxTemp} K
            </Cell>
            <Cell numeric>
              {m.cooldownHours} h / {m.warmupHours} h
            </Cell>
            <Cell>{m.currentUser?.username ?? "–"}</Cell>
            <Cell>{m.location || "–"}</Cell>
          </tr>
        ))}
      </Table>
      <Pagination {...window} noun="machines" hrefFor={(p) => `/admin/machines?page=${p}`} />
    </>
  );
}
