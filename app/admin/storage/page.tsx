import type { Metadata } from "next";
import { PageHeader } from "@/components/admin/PageHeader";
import { requireStaffPage } from "@/lib/auth/guard";

export const metadata: Metadata = { title: "Manage Storage" };

export default async function StoragePage() {
  await requireStaffPage("/admin/storage");
  return <PageHeader title="Manage Storage">Export, snapshot and restore the database.</PageHeader>;
}
