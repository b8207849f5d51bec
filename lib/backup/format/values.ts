// How values look in SQLite versus in a backup file. Datetimes are stored as Prisma's
// driver adapter writes them (`2024-01-02T03:04:05.678+00:00`) but keep any microseconds
// a Django backup carried, so a restore followed by an export loses nothing.

export type SqlValue = string | number | bigint | null;

export { DATETIME_PATTERN, storedNow, storedToIso, toStoredDateTime } from "@/lib/db/stored-datetime";
