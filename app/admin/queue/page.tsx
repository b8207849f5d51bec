import type { Metadata } from "next";

import { PageHeader } from "@/components/admin/PageHeader";
import { QueueList } from "@/components/queue/QueueList";
import { Pagination } from "@/components/ui/Pagination";
import { pageFrom } from "@/lib/admin/pagination";
import { listQueue, QueueFilter } from "@/lib/admin/queue";
import { requireStaffPage } from "@/lib/auth/guard";
import { QueueStatus } from "@/lib/domain/choices";

export const metadata: Metadata = { title: "Queue" };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function QueuePage({ searchParams }: Props) {
  await requireStaffPage("/admin/queue");
  const params = await searchParams;
  const filter = QueueFilter.parse(params);
  const { window, entries, machines, goneMachines } = await listQueue(filter, pageFrom(params));
  const query = (page: number) => {
    const q = new URLSearchParams();
    if (filter.machine) q.set("machine", filter.machine);
    q.set("status", filter.status);
    if (filter.q) q.set("q", filter.q);
    q.set("page", String(page));
    return `/admin/queue?${q}`;
  };
  const filtered = Boolean(filter.machine || filter.q || filter.status !== "any");
  const selectClass = "rounded border border-slate-300 bg-white px-2 py-1.5";
  return (
    <>
      <PageHeader title="Queue">
        Measurement jobs per machine, in queue order. Active jobs first; choose any status to see all.
      </PageHeader>
      <form className="mb-4 flex flex-wrap items-end gap-3 text-sm" method="get" role="search">
        <label className="flex flex-col">
          <span className="font-medium">Machine</span>
          <select name="machine" defaultValue={filter.machine ?? ""} className={selectClass}>
            <option value="">All machines</option>
            {machines.map((m) => (
              <option key={m.id} value={m.id}>
                {m.name}
              </option>
            ))}
            {goneMachines.length > 0 ? (
              <optgroup label="No longer in the lab">
                {goneMachines.map((name) => (
                  <option key={name} value={`gone:${name}`}>
                    {name}
                  </option>
                ))}
              </optgroup>
            ) : null}
          </select>
        </label>
        <label className="flex flex-col">
          <span className="font-medium">Status</span>
          <select name="status" defaultValue={filter.status} className={selectClass}>
            <option value="active">Active (queued or running)</option>
            <option value="any">Any status</option>
            {QueueStatus.options.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </label>
        <label className="flex flex-col">
          <span className="font-medium">Title or user</span>
          <input
            type="search"
            name="q"
            defaultValue={filter.q ?? ""}
            placeholder="e.g. graphene or ada"
            className="rounded border border-slate-300 bg-white px-2 py-1.5"
          />
        </label>
        <button type="submit" className="rounded bg-sky-700 px-3 py-1.5 font-medium text-white hover:bg-sky-800">
          Show
        </button>
      </form>
      <QueueList entries={entries} showAll={filtered ? "/admin/queue?status=any" : undefined} />
      <Pagination {...window} noun="queue entries" hrefFor={query} />
    </>
  );
}
