import { Badge, type Tone } from "@/components/ui/Badge";
import { CardField, CardFields, RowCard, RowCards } from "@/components/ui/RowCards";
import { Cell, EmptyRow, Table } from "@/components/ui/Table";
import { ManageAccount } from "@/components/users/ManageAccount";
import { departmentText, organizationText } from "@/lib/admin/labels";
import { ownedInWords, type listUsers, type LockedAccount } from "@/lib/admin/users";
import { ageInWords, formatDateTime, waitInWords } from "@/lib/format";

type UserRow = Awaited<ReturnType<typeof listUsers>>["users"][number];
/** Who is looking: Manage offers what this staff account may do. */
type Viewer = { id: number; isSuperuser: boolean };

const STATUS_TONE: Record<string, Tone> = { approved: "green", pending: "amber", rejected: "red" };
const CAPTION = "Users";

/**
 * The accounts of one page: a table on a wide screen, a card per account below it (a phone,
 * a tablet), each with its roles and its Manage controls on screen. The table needs ~1,000 px
 * for every column with Manage open, hence the cards below the xl breakpoint (1,280 px).
 */
export function UserList({ users, viewer, locked }: { users: UserRow[]; viewer: Viewer; locked: LockedAccount[] }) {
  const lockedFor = new Map(locked.map((l) => [l.id, l.seconds]));
  return (
    <>
      <Table
        caption={CAPTION}
        className="hidden xl:block"
        head={["Account", "Organization", "Status", "Roles", "Training", "Joined", "Last sign-in", "Manage"]}
      >
        {users.length === 0 ? <EmptyRow columns={8}>No users yet.</EmptyRow> : null}
        {users.map((u) => (
          <tr key={u.id} data-testid="user-row">
            <Cell>
              <Account user={u} lockedFor={lockedFor.get(u.id)} />
            </Cell>
            <Cell>
              <Organization profile={u.profile} />
            </Cell>
            <Cell>
              <Status profile={u.profile} />
            </Cell>
            <Cell>
              <Roles user={u} />
            </Cell>
            <Cell>{trainingText(u.profile)}</Cell>
            <Cell>
              <DayWithAge value={u.dateJoined} />
            </Cell>
            <Cell>
              <DayWithAge value={u.lastLogin} />
            </Cell>
            <Cell>
              {/* A fixed width when open: its sentences would otherwise widen the table past the screen. */}
              <Manage user={u} viewer={viewer} className="open:w-52" />
            </Cell>
          </tr>
        ))}
      </Table>
      <RowCards label={CAPTION} className="sm:grid-cols-2 xl:hidden" empty="No users yet.">
        {users.map((u) => (
          <RowCard key={u.id} testId="user-card">
            <h2 className="text-base font-semibold [overflow-wrap:anywhere]">{u.username}</h2>
            <p className="text-xs text-slate-500 [overflow-wrap:anywhere]">{nameAndEmail(u)}</p>
            <CannotSignIn user={u} lockedFor={lockedFor.get(u.id)} />
            <CardFields>
              <CardField label="Organization">
                <Organization profile={u.profile} />
              </CardField>
              <CardField label="Status">
                <Status profile={u.profile} />
              </CardField>
              <CardField label="Roles">
                <Roles user={u} />
              </CardField>
              <CardField label="Training">{trainingText(u.profile)}</CardField>
              <CardField label="Joined">
                <DayWithAge value={u.dateJoined} />
              </CardField>
              <CardField label="Last sign-in">
                <DayWithAge value={u.lastLogin} />
              </CardField>
            </CardFields>
            <div className="mt-3 border-t border-slate-100 pt-3">
              <Manage user={u} viewer={viewer} />
            </div>
          </RowCard>
        ))}
      </RowCards>
    </>
  );
}

function nameAndEmail(user: UserRow): string {
  const name = `${user.firstName} ${user.lastName}`.trim();
  return [name, user.email || "no email"].filter(Boolean).join(" · ");
}

/** The username, then the person's name and email in small print, and whether it cannot sign in. */
function Account({ user, lockedFor }: { user: UserRow; lockedFor?: number }) {
  const name = `${user.firstName} ${user.lastName}`.trim();
  return (
    <>
      <span className="font-medium">{user.username}</span>
      {name ? <span className="block">{name}</span> : null}
      <span className="block text-xs text-slate-500">{user.email || "no email"}</span>
      <CannotSignIn user={user} lockedFor={lockedFor} />
    </>
  );
}

function Organization({ profile }: { profile: UserRow["profile"] }) {
  if (!profile) return "–";
  const department = departmentText(profile);
  return (
    <>
      {organizationText(profile) || "–"}
      {department ? <span className="block text-xs text-slate-500">{department}</span> : null}
    </>
  );
}

function Status({ profile }: { profile: UserRow["profile"] }) {
  if (!profile) return <span className="text-slate-500">no profile</span>;
  return <Badge tone={STATUS_TONE[profile.status] ?? "gray"}>{profile.status}</Badge>;
}

/**
 * Said only when it is so (the exception): the account is inactive, has no password it could sign
 * in with (Reset password gives it one), or is locked out for `lockedFor` seconds.
 */
function CannotSignIn({ user, lockedFor }: { user: UserRow; lockedFor?: number }) {
  if (user.isActive && user.hasPassword && lockedFor === undefined) return null;
  return (
    <span className="mt-1 flex flex-col items-start gap-1 whitespace-nowrap">
      {user.isActive ? null : <Badge tone="red">cannot sign in</Badge>}
      {user.hasPassword ? null : <Badge tone="gray">no password</Badge>}
      {lockedFor === undefined ? null : <Badge tone="amber">locked out, {waitInWords(lockedFor)} left</Badge>}
    </span>
  );
}

function Roles({ user }: { user: UserRow }) {
  const roles: [string, Tone][] = [];
  if (user.isSuperuser) roles.push(["superuser", "blue"]);
  else if (user.isStaff) roles.push(["staff", "blue"]);
  if (user.profile?.isLabManager) roles.push(["lab manager", "green"]);
  if (user.profile?.isDeveloper) roles.push(["developer", "gray"]);
  if (roles.length === 0) return <span className="text-slate-500">researcher</span>;
  return (
    <span className="flex flex-col items-start gap-1 whitespace-nowrap">
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

function Manage({ user, viewer, className }: { user: UserRow; viewer: Viewer; className?: string }) {
  return (
    <ManageAccount
      account={{
        id: user.id,
        username: user.username,
        isActive: user.isActive,
        isStaff: user.isStaff,
        isSuperuser: user.isSuperuser,
        owned: ownedInWords(user._count),
      }}
      isSelf={user.id === viewer.id}
      viewerIsSuperuser={viewer.isSuperuser}
      className={className}
    />
  );
}
