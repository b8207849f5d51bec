// The judge of a merge, written apart from the merge's code: it sees only three documents (the
// database before, the file, the database after, each as the exporter writes it) and knows
// people, machines and records by their natural keys, as a lab manager would: a user by
// username, a machine by name, a profile or preference by whose it is, anything else by its
// owner and when it was created. It checks that
//
//   - every row that was there before is still there, unchanged (its many-to-many lists may
//     only gain the file's links: a link it had stays);
//   - every row the merge added is a record of the file, field for field, whose every
//     reference (foreign keys and many-to-many lists) points at the record with the same
//     natural key as in the file: the same person, machine, preset, entry;
//   - every record of the file is now in the database: added, or already there (a row
//     before had its natural key);
//   - no record of the file was added twice;
//   - every many-to-many link of the file (a preference following a preset) holds after the
//     merge, between the records with the same natural keys, whether the record was added or
//     already there.
import type { BackupDoc } from "@/tests/support/backup";

type Fields = Record<string, unknown>;
type Doc = BackupDoc["models"];

/** Each label's foreign keys and many-to-many fields, and the label they point at. */
const REFERENCES: Record<string, Record<string, string>> = {
  "auth.User": {},
  "userRegistration.UserProfile": {
    user: "auth.User",
    approved_by: "auth.User",
    developer_promoted_by: "auth.User",
    lab_manager_promoted_by: "auth.User",
  },
  "calendarEditor.Machine": { current_user: "auth.User" },
  "calendarEditor.QueuePreset": {
    creator: "auth.User",
    last_edited_by: "auth.User",
    selected_optical_machine: "calendarEditor.Machine",
  },
  "calendarEditor.QueueEntry": { user: "auth.User", assigned_machine: "calendarEditor.Machine" },
  "calendarEditor.ArchivedMeasurement": {
    user: "auth.User",
    machine: "calendarEditor.Machine",
    related_queue_entry: "calendarEditor.QueueEntry",
  },
  "calendarEditor.NotificationPreference": { user: "auth.User", followed_presets: "calendarEditor.QueuePreset" },
  "calendarEditor.Notification": {
    recipient: "auth.User",
    related_preset: "calendarEditor.QueuePreset",
    related_queue_entry: "calendarEditor.QueueEntry",
    related_machine: "calendarEditor.Machine",
    triggering_user: "auth.User",
  },
};

/** The field naming a record's owner, for labels known by owner and creation time. */
const OWNER: Record<string, string | null> = {
  "calendarEditor.QueuePreset": null,
  "calendarEditor.QueueEntry": "user",
  "calendarEditor.ArchivedMeasurement": "user",
  "calendarEditor.Notification": "recipient",
};

/** Whether field `name` of a `label` record is a many-to-many list (a reference holding ids). */
function isManyToMany(label: string, fields: Fields, name: string): boolean {
  return Boolean(REFERENCES[label]![name]) && Array.isArray(fields[name]);
}

/** A row before and after: the same, but for links a many-to-many list gained. */
function keptWithLinks(label: string, was: Fields, now: Fields | undefined): boolean {
  if (!now) return false;
  const names = new Set([...Object.keys(was), ...Object.keys(now)]);
  return [...names].every((name) => {
    if (!isManyToMany(label, was, name)) return JSON.stringify(was[name]) === JSON.stringify(now[name]);
    const after = new Set(now[name] as number[]);
    return (was[name] as number[]).every((pk) => after.has(pk));
  });
}

function list(doc: Doc, label: string): { pk: number; fields: Fields }[] {
  const records = doc[label];
  return Array.isArray(records) ? records : [];
}

class Keys {
  private readonly byPk = new Map<string, Map<number, Fields>>();

  constructor(doc: Doc) {
    for (const label of Object.keys(REFERENCES)) {
      this.byPk.set(label, new Map(list(doc, label).map((r) => [r.pk, r.fields])));
    }
  }

  /** The natural key of record `pk` of `label`; a missing record keys as such. */
  key(label: string, pk: number | null): string {
    if (pk === null) return "none";
    const fields = this.byPk.get(label)?.get(pk);
    if (!fields) return `${label}#${pk} (missing)`;
    if (label === "auth.User") return `user ${String(fields.username)}`;
    if (label === "calendarEditor.Machine") return `machine ${String(fields.name)}`;
    if (label === "userRegistration.UserProfile" || label === "calendarEditor.NotificationPreference")
      return `${label} of ${this.key("auth.User", fields.user as number)}`;
    const owner = OWNER[label];
    const whose = owner ? ` of ${this.key("auth.User", fields[owner] as number | null)}` : "";
    return `${label}${whose} created ${String(fields.created_at)}`;
  }

  /** A record with its references replaced by natural keys: equal means the same content and meaning. */
  fingerprint(label: string, fields: Fields): string {
    const refs = REFERENCES[label]!;
    const shown = Object.fromEntries(
      Object.entries(fields)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([name, value]) => {
          const target = refs[name];
          if (!target) return [name, value];
          if (Array.isArray(value)) return [name, value.map((pk) => this.key(target, pk as number)).sort()];
          return [name, this.key(target, value as number | null)];
        }),
    );
    return JSON.stringify(shown);
  }
}

export interface MergeVerdict {
  violations: string[];
  /** Rows the merge added, per label. */
  added: Record<string, number>;
  /** Records of the file that were already there, per label. */
  present: Record<string, number>;
}

export function judgeMerge(before: Doc, file: Doc, after: Doc): MergeVerdict {
  const violations: string[] = [];
  const [beforeKeys, fileKeys, afterKeys] = [new Keys(before), new Keys(file), new Keys(after)];
  const added: Record<string, number> = {};
  const present: Record<string, number> = {};
  for (const label of Object.keys(REFERENCES)) {
    const was = new Map(list(before, label).map((r) => [r.pk, r.fields]));
    const fresh = list(after, label).filter((r) => !was.has(r.pk));
    const now = new Map(list(after, label).map((r) => [r.pk, r.fields]));
    for (const [pk, fields] of was) {
      if (!keptWithLinks(label, fields, now.get(pk)))
        violations.push(`${label} ${pk} was changed or removed by the merge`);
    }
    // Each added row consumes one record of the file with the same fingerprint.
    const unclaimed = new Map<string, number>();
    for (const r of list(file, label)) {
      const print = fileKeys.fingerprint(label, r.fields);
      unclaimed.set(print, (unclaimed.get(print) ?? 0) + 1);
    }
    for (const r of fresh) {
      const print = afterKeys.fingerprint(label, r.fields);
      const left = unclaimed.get(print) ?? 0;
      if (left === 0)
        violations.push(
          `${label} ${r.pk} was added but is no record of the file as the file means it: ${print.slice(0, 300)}`,
        );
      else unclaimed.set(print, left - 1);
    }
    const keysBefore = new Set(list(before, label).map((r) => beforeKeys.key(label, r.pk)));
    added[label] = fresh.length;
    present[label] = 0;
    for (const r of list(file, label)) {
      const print = fileKeys.fingerprint(label, r.fields);
      const left = unclaimed.get(print) ?? 0;
      if (left === 0) continue; // added (claimed above)
      unclaimed.set(print, left - 1);
      if (keysBefore.has(fileKeys.key(label, r.pk))) present[label]++;
      else
        violations.push(
          `${label} ${r.pk} of the file (${fileKeys.key(label, r.pk)}) is not in the database after the merge`,
        );
    }
  }
  violations.push(...missingLinks(file, after, fileKeys, afterKeys));
  return { violations, added, present };
}

/** Every link of the file, by natural keys, that no record after the merge with the owner's key holds. */
function missingLinks(file: Doc, after: Doc, fileKeys: Keys, afterKeys: Keys): string[] {
  const missing: string[] = [];
  for (const [label, refs] of Object.entries(REFERENCES)) {
    // Natural key of the owner → "field → target key" for every link it holds after the merge.
    const held = new Map<string, Set<string>>();
    for (const r of list(after, label)) {
      const owner = afterKeys.key(label, r.pk);
      const links = held.get(owner) ?? new Set<string>();
      for (const [name, target] of Object.entries(refs)) {
        if (!isManyToMany(label, r.fields, name)) continue;
        for (const pk of r.fields[name] as number[]) links.add(`${name} → ${afterKeys.key(target, pk)}`);
      }
      held.set(owner, links);
    }
    for (const r of list(file, label)) {
      const owner = fileKeys.key(label, r.pk);
      for (const [name, target] of Object.entries(refs)) {
        if (!isManyToMany(label, r.fields, name)) continue;
        for (const pk of r.fields[name] as number[]) {
          const link = `${name} → ${fileKeys.key(target, pk)}`;
          if (!held.get(owner)?.has(link))
            missing.push(`${label} ${r.pk} of the file (${owner}): ${link} is missing after the merge`);
        }
      }
    }
  }
  return missing;
}
