// Failed sign-ins and lock-outs of the last day, summed up beside the History: under a guessing
// attack they would be most of its rows and push exports and restores out of sight. Then the
// locks held now, which staff can lift.
import { SignInLocksNow } from "@/components/storage/SignInLocksNow";
import { Badge } from "@/components/ui/Badge";
import { Card } from "@/components/ui/Card";
import type { HeldLock } from "@/lib/auth/throttle";
import type { SignInTrouble } from "@/lib/backup/audit";
import { ageInWords, formatCount, formatDateTime, plural } from "@/lib/format";

export function SignInFailures({
  trouble,
  hours,
  locks,
}: {
  trouble: SignInTrouble;
  hours: number;
  locks: HeldLock[];
}) {
  const { failures, usernames, lastFailureAt, lockouts, latestLockouts } = trouble;
  return (
    <Card id="sign-in-failures" title="Sign-in failures" testId="sign-in-failures">
      {failures === 0 && lockouts === 0 && locks.length === 0 ? (
        <p className="text-sm text-slate-600">No failed sign-ins in the last {hours} hours.</p>
      ) : (
        <>
          <p className="text-sm text-slate-700" data-testid="sign-in-failures-summary">
            <Badge tone={lockouts > 0 ? "red" : "amber"}>
              {formatCount(failures)} {failures === 1 ? "failure" : "failures"}
            </Badge>{" "}
            in the last {hours} hours
            {lastFailureAt ? `, the latest ${ageInWords(lastFailureAt)}` : ""}; {formatCount(lockouts)}{" "}
            {plural(lockouts, "lock-out")}.
          </p>
          {usernames.length > 0 ? (
            <div>
              <h3 className="text-sm font-medium">Usernames tried most</h3>
              <ul className="mt-1 flex flex-wrap gap-2 text-sm">
                {usernames.map((u) => (
                  <li key={u.username} className="rounded bg-slate-100 px-2 py-0.5 break-all">
                    {u.username} <span className="text-slate-500">× {formatCount(u.failures)}</span>
                  </li>
                ))}
              </ul>
            </div>
          ) : null}
          {latestLockouts.length > 0 ? (
            <div>
              <h3 className="text-sm font-medium">Latest lock-outs</h3>
              <ul className="mt-1 space-y-1 text-sm">
                {latestLockouts.map((l) => (
                  <li key={`${l.at.toISOString()}-${l.detail}`} className="break-words">
                    <span className="text-slate-500">
                      {formatDateTime(l.at)} ({ageInWords(l.at)}):
                    </span>{" "}
                    {l.detail}
                  </li>
                ))}
              </ul>
            </div>
          ) : null}
          <SignInLocksNow locks={locks} />
          <p className="text-xs text-slate-500">
            Each failure is kept with the address it came from; a username or address is locked for a while after
            repeated failures, longer each time.
          </p>
        </>
      )}
    </Card>
  );
}
