// The only hand-written part of the backup mapping: which Prisma model is which Django
// label. Fields, types, relations and order all come from the Prisma schema.

/** The keys of a backup's `models` object, as the original app wrote them. */
export const DJANGO_LABELS = {
  User: "auth.User",
  UserProfile: "userRegistration.UserProfile",
  Machine: "calendarEditor.Machine",
  QueuePreset: "calendarEditor.QueuePreset",
  QueueEntry: "calendarEditor.QueueEntry",
  ArchivedMeasurement: "calendarEditor.ArchivedMeasurement",
  NotificationPreference: "calendarEditor.NotificationPreference",
  Notification: "calendarEditor.Notification",
} as const;

/** Models that are deliberately not part of a backup (with the reason in the schema). */
export const NOT_BACKED_UP = ["BackupEvent"] as const;

/**
 * Many-to-many fields of Django's own auth models, whose targets (groups, permissions) are
 * not part of any backup. Exports write them as empty lists, as Django does for a lab that
 * uses neither; a file whose lists are not empty loses them here, and says so.
 */
export const DJANGO_ONLY_LIST_FIELDS: Record<string, readonly string[]> = {
  "auth.User": ["groups", "user_permissions"],
};

/**
 * The label Django's serializer writes in each record: the app label as written, the model
 * name lower-cased (`auth.user`, `calendarEditor.queueentry`).
 */
export function recordLabel(label: string): string {
  const dot = label.indexOf(".");
  return `${label.slice(0, dot)}.${label.slice(dot + 1).toLowerCase()}`;
}

/** Django's rule for `apps.get_model("app.model")`: the app label exact, the model name in any case. */
export function sameDjangoModel(a: string, b: string): boolean {
  return recordLabel(a) === recordLabel(b) && a.indexOf(".") > 0;
}

/** "QueueEntry" → "queue entry" / "queue entries": a model's name in words, from its Prisma name. */
export function modelNoun(name: string): { one: string; many: string } {
  const one = name.replace(/([a-z])([A-Z])/g, "$1 $2").toLowerCase();
  return { one, many: one.endsWith("y") ? `${one.slice(0, -1)}ies` : `${one}s` };
}

/** "UserProfile" → "User profiles": the one name people read for an entity, from its Prisma name. */
export function entityName(name: string): string {
  const { many } = modelNoun(name);
  return many.charAt(0).toUpperCase() + many.slice(1);
}

/** "userRegistration.UserProfile", "phone_number" → "User profiles, phone number": a field in people's words. */
export function fieldInWords(label: string, field: string): string {
  return `${humanModelName(label)}, ${field.replace(/_/g, " ")}`;
}

/** "userRegistration.UserProfile" → "User profiles": the name people read; the Django label comes second. */
export function humanModelName(label: string): string {
  const entry = Object.entries(DJANGO_LABELS).find(([, l]) => l === label);
  return entry ? entityName(entry[0]) : label;
}
