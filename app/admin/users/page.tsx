import type { Metadata } from "next";
import Link from "next/link";

import { PageHeader } from "@/components/admin/PageHeader";
import { Pagination } from "@/components/ui/Pagination";
import { AddAccount } from "@/components/users/AddAccount";
import { DoneNotice } from "@/components/users/DoneNotice";
import { LockedAccounts } from "@/components/users/LockedAccounts";
import { UserList } from "@/components/users/UserList";
import { historyHref } from "@/lib/admin/history";
import { pageFrom } from "@/lib/admin/pagination";
import { listUsers, lockedAccounts } from "@/lib/admin/users";
import { requireStaffPage } from "@/lib/auth/guard";

export const metadata: Metadata = { title: "Users" };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function UsersPage({ searchParams }: Props) {
  const me = await requireStaffPage("/admin/users");
  const params = await searchParams;
  const { window, users } = await listUsers(pageFrom(params));
  const locked = await lockedAccounts();
  const deleted = typeof params.deleted === "string" ? params.deleted.slice(0, 150) : null;
  return (
    <>
      <PageHeader title="Users">
        Accounts, where they come from, their roles and training, and whether staff approved them. Add a newcomer&apos;s
        account below. Under <em>Manage</em>, staff change who can sign in and with what rights, reset a password or
        delete an account; every change is in{" "}
        <Link className="text-sky-700 underline" href={historyHref("accounts")}>
          the History on Manage Storage
        </Link>
        . An account locked out after wrong passwords is listed first, to let in again.
      </PageHeader>
      {deleted ? (
        <DoneNotice>
          Deleted the account {deleted}. A safety snapshot taken just before is listed on Manage Storage, to roll back
          to if needed.
        </DoneNotice>
      ) : null}
      <AddAccount viewerIsSuperuser={me.isSuperuser} />
      <LockedAccounts accounts={locked} viewer={{ id: me.id, isSuperuser: me.isSuperuser }} />
      <UserList users={users} viewer={me} locked={locked} />
      <Pagination {...window} noun="users" hrefFor={(p) => `/admin/users?page=${p}`} />
    </>
  );
}
