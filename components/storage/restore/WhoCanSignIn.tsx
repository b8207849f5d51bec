import { Badge, type Tone } from "@/components/ui/Badge";
import type { SignInCheck } from "@/lib/backup/restore/sign-in-check";
import { formatCount, plural } from "@/lib/format";

const ROLE: Record<SignInCheck["whoCanSignIn"][number]["role"], { text: string; tone: Tone }> = {
  superuser: { text: "superuser", tone: "blue" },
  staff: { text: "staff", tone: "blue" },
  active: { text: "researcher", tone: "gray" },
};

/**
 * Who can sign in after the restore, by name and role: staff and superusers (who can open
 * this console) listed, researchers folded away. Passwords come with the backup.
 */
export function WhoCanSignIn({ signIn, source = "backup" }: { signIn: SignInCheck; source?: "backup" | "snapshot" }) {
  const staff = signIn.whoCanSignIn.filter((a) => a.role !== "active");
  const researchers = signIn.whoCanSignIn.filter((a) => a.role === "active");
  const unnamed = signIn.researchersWhoCanSignIn - researchers.length;
  return (
    <div className="space-y-1 text-sm" data-testid="who-can-sign-in">
      <p className="font-medium">Who can sign in afterwards</p>
      {staff.length > 0 ? (
        <ul className="flex flex-wrap gap-x-4 gap-y-1" aria-label="Staff who can sign in afterwards">
          {staff.map((a) => (
            <li key={a.username} className="flex items-center gap-1.5" data-testid="sign-in-account">
              <span className="font-medium [overflow-wrap:anywhere]">{a.username}</span>
              <Badge tone={ROLE[a.role].tone}>{ROLE[a.role].text}</Badge>
              {a.kept ? <span className="text-xs text-slate-600">(kept as it is now)</span> : null}
            </li>
          ))}
        </ul>
      ) : (
        <p className="text-red-800">No staff member or superuser.</p>
      )}
      {signIn.researchersWhoCanSignIn > 0 ? (
        <details>
          <summary className="cursor-pointer text-slate-700">
            and {formatCount(signIn.researchersWhoCanSignIn)} {plural(signIn.researchersWhoCanSignIn, "researcher")},
            who can use the queue but not this console
          </summary>
          <p className="mt-1 text-slate-700 [overflow-wrap:anywhere]">
            {researchers.map((a) => a.username).join(", ")}
            {unnamed > 0 ? ` and ${formatCount(unnamed)} more` : ""}
          </p>
        </details>
      ) : null}
      <p className="text-slate-600">
        Passwords come with the {source}: everyone signs in with the password they had when it was{" "}
        {source === "snapshot" ? "taken" : "made"}.
      </p>
    </div>
  );
}
