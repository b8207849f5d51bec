import type { Metadata } from "next";

import { PageHeader } from "@/components/admin/PageHeader";
import { MachineList } from "@/components/machines/MachineList";
import { Pagination } from "@/components/ui/Pagination";
import { listMachines } from "@/lib/admin/machines";
import { pageFrom } from "@/lib/admin/pagination";
import { requireStaffPage } from "@/lib/auth/guard";

export const metadata: Metadata = { title: "Machines" };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function MachinesPage({ searchParams }: Props) {
  await requireStaffPage("/admin/machines");
  const { window, machines } = await listMachines(pageFrom(await searchParams));
  return (
    <>
      <PageHeader title="Machines">Cryostats by name, with their status and how many jobs wait for each.</PageHeader>
      <MachineList machines={machines} />
      <Pagination {...window} noun="machines" hrefFor={(p) => `/admin/machines?page=${p}`} />
    </>
  );
}
