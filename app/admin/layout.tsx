import { AdminNav } from "@/components/admin/AdminNav";
import { MaintenanceBanner } from "@/components/admin/MaintenanceBanner";
import { OffsiteBanner } from "@/components/admin/OffsiteBanner";
import { ReplicaBanner } from "@/components/admin/ReplicaBanner";
import { StorageBanner } from "@/components/admin/StorageBanner";
import { SignOutButton } from "@/components/auth/SignOutButton";
import { requireStaffPage } from "@/lib/auth/guard";

export const dynamic = "force-dynamic";

export default async function AdminLayout({ children }: { children: React.ReactNode }) {
  const account = await requireStaffPage("/admin");
  return (
    <div className="min-h-screen">
      <header className="border-b border-slate-200 bg-white">
        <div className="mx-auto flex max-w-6xl flex-wrap items-center justify-between gap-3 px-4 py-3">
          <span className="font-semibold">Lab Queue Admin</span>
          <AdminNav />
          <span className="flex items-center gap-3 text-sm text-slate-600">
            <span>
              Signed in as <strong>{account.username}</strong>
            </span>
            <SignOutButton />
          </span>
        </div>
      </header>
      <MaintenanceBanner />
      <StorageBanner />
      <OffsiteBanner />
      <ReplicaBanner />
      <main className="mx-auto max-w-6xl px-4 py-6">{children}</main>
    </div>
  );
}
