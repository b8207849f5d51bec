import type { Metadata } from "next";
import { PageHeader } from "@/components/admin/PageHeader";
import { Badge, YesNo } from "@/components/ui/Badge";
import { Pagination } from "@/components/ui/Pagination";
import { Cell, EmptyRow, Table } from "@/components/ui/Table";
import { pageFrom } from "@/lib/admin/pagination";
import { listUsers } from "@/lib/admin/users";
import { requireStaffPage } from "@/lib/auth/guard";
import { formatDateTime } from "@/lib/format";

export const metadata: Metadata = { title: "Users" };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function UsersPage({ searchParams }: Props) {
  await requireStaffPage("/admin/users");
  const { window, users } = await listUsers(pageFrom(await searchParams));
  return (
    <>
      <PageHeader title="Users">Accounts, their roles and whether staff approved them.</PageHeader>
      <Table caption="Users" head={["Username", "Name", "Email", "Staff", "Active", "Approved", "Joined", "Last sign-in"]}>
        {users.length === 0 ? <EmptyRow columns={8}>No users yet.</EmptyRow> : null}
        {users.map((u) => (
          <tr key={u.id} data-testid="user-row">
            <Cell><span className="font-medium">{u.username}</span></Cell>
            <Cell>{`${u.firstName} ${u.lastName}`.trim() || "–"}</Cell>
            <Cell>{u.email || "–"}</Cell>
            <Cell>{u.isSuperuser ? <Badge tone="blue">superuser</Badge> : <YesNo value={u.isStaff} />}</Cell>
            <Cell><YesNo value={u.isActive} /></Cell>
            <Cell><YesNo value={u.profile?.isApproved ?? false} /></Cell>
            <Cell>{formatDateTime(u.dateJoined)}</Cell>
            <Cell>{formatDateTime(u.lastLogin)}</Cell>
          </tr>
        ))}
      </Table>
      <Pagination {...window} noun="users" hrefFor={(p) => `/admin/users?page=${p}`} />
    </>
  );
}
