// The only hand-written part of the backup mapping: which Prisma model is which Django
// label. Fields, types, relations and order all come from the Prisma schema.

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

/** Django fields a backup may carry that have no counterpart here and are dropped silently. */
export const IGNORED_DJANGO_FIELDS: Record<string, readonly string[]> = {
  "auth.User": ["groups", "user_permissions"],
};
