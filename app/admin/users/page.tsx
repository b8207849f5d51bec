import type { Metadata } from "next";

import { PageHeader } from "@/components/admin/PageHeader";
import { Badge, YesNo, type Tone } from "@/components/ui/Badge";
import { Pagination } from "@/components/ui/Pagination";
import { Cell, EmptyRow, Table } from "@/components/ui/Table";
import { DoneNotice } from "@/components/users/DoneNotice";
import { ManageAccount } from "@/components/users/ManageAccount";
import { departmentText, organizationText } from "@/lib/admin/labels";
import { pageFrom } from "@/lib/admin/pagination";
import { listUsers, ownedInWords } from "@/lib/admin/users";
import { requireStaffPage } from "@/lib/auth/guard";
import { ageInWords, formatDateTime } from "@/lib/format";

export const metadata: Metadata = { title: "Users" };

const STATUS_TONE: Record<string, Tone> = { approved: "green", pending: "amber", rejected: "red" };

type UserRow = Awaited<ReturnType<typeof listUsers>>["users"][number];

function Roles({ user }: { user: UserRow }) {
  const roles: [string, Tone][] = [];
  if (user.isSuperuser) roles.push(["superuser", "blue"]);
  else if (user.isStaff) roles.push(["staff", "blue"]);
  if (user.profile?.isLabManager) roles.push(["lab manager", "green"]);
  if (user.profile?.isDeveloper) roles.push(["developer", "gray"]);
  if (roles.length === 0) return <span className="text-slate-500">researcher</span>;
  return (
    <span className="flex flex-wrap gap-1">
      {roles.map(([name, tone]) => (
        <Badge key={name} tone={tone}>
          {name}
        </Badge>
      ))}
    </span>
  );
}

function trainingText(profile: UserRow["profile"]): string {
  const done = [profile?.ln2Trained ? "LN₂" : null, profile?.quantifyTrained ? "Quantify" : null].filter(Boolean);
  return done.length > 0 ? done.join(", ") : "–";
}

/** The day, with the exact time on hover and the age in words below: keeps the rows short at any width. */
function DayWithAge({ value }: { value: Date | null }) {
  if (!value) return "–";
  return (
    <span title={formatDateTime(value)}>
      <span className="whitespace-nowrap">{formatDateTime(value, { to: "day" })}</span>
      <span className="block text-xs text-slate-500">{ageInWords(value)}</span>
    </span>
  );
}

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function UsersPage({ searchParams }: Props) {
  const me = await requireStaffPage("/admin/users");
  const params = await searchParams;
  const { window, users } = await listUsers(pageFrom(params));
  const deleted = typeof params.deleted === "string" ? params.deleted.slice(0, 150) : null;
  return (
    <>
      <PageHeader title="Users">
        Accounts, where they come from, their roles and training, and whether staff approved them. Under <em>Manage</em>
        , staff change who can sign in and with what rights, reset a password or delete an account; every change is in
        the History on Manage Storage.
      </PageHeader>
      {deleted ? (
        <DoneNotice>
          Deleted the account {deleted}. A safety snapshot taken just before is listed on Manage Storage, to roll back
          to if needed.
        </DoneNotice>
      ) : null}
      <Table
        caption="Users"
        head={[
          "Username",
          "Name",
          "Organization",
          "Status",
          "Roles",
          "Training",
          "Active",
          "Joined",
          "Last sign-in",
          "Manage",
        ]}
      >
        {users.length === 0 ? <EmptyRow columns={10}>No users yet.</EmptyRow> : null}
        {users.map((u) => (
          <tr key={u.id} data-testid="user-row">
            <Cell>
              <span className="font-medium">{u.username}</span>
              <span className="block text-xs text-slate-500">{u.email || "no email"}</span>
            </Cell>
            <Cell>{`${u.firstName} ${u.lastName}`.trim() || "–"}</Cell>
            <Cell>
              {u.profile ? organizationText(u.profile) || "–" : "–"}
              {u.profile && departmentText(u.profile) ? (
                <span className="block text-xs text-slate-500">{departmentText(u.profile)}</span>
              ) : null}
            </Cell>
            <Cell>
              {u.profile ? (
                <Badge tone={STATUS_TONE[u.profile.status] ?? "gray"}>{u.profile.status}</Badge>
              ) : (
                "no profile"
              )}
            </Cell>
            <Cell>
              <Roles user={u} />
            </Cell>
            <Cell>{trainingText(u.profile)}</Cell>
            <Cell>
              <YesNo value={u.isActive} />
            </Cell>
            <Cell>
              <DayWithAge value={u.dateJoined} />
            </Cell>
            <Cell>
              <DayWithAge value={u.lastLogin} />
            </Cell>
            <Cell>
              <ManageAccount
                account={{
                  id: u.id,
                  username: u.username,
                  isActive: u.isActive,
                  isStaff: u.isStaff,
                  isSuperuser: u.isSuperuser,
                  owned: ownedInWords(u._count),
                }}
                isSelf={u.id === me.id}
                viewerIsSuperuser={me.isSuperuser}
              />
            </Cell>
          </tr>
        ))}
      </Table>
      <Pagination {...window} noun="users" hrefFor={(p) => `/admin/users?page=${p}`} />
    </>
  );
}
