// What the PostgreSQL e2e server's database holds, counted directly (an oracle of its own:
// the specs do not load the app's schema code).
import pg from "pg";

import { E2E_POSTGRES } from "./postgres-env";

/** Each backed-up model's table, by its Django label. */
export const TABLES: Record<string, string> = {
  "auth.User": "auth_user",
  "userRegistration.UserProfile": "userRegistration_userprofile",
  "calendarEditor.Machine": "calendarEditor_machine",
  "calendarEditor.QueuePreset": "calendarEditor_queuepreset",
  "calendarEditor.QueueEntry": "calendarEditor_queueentry",
  "calendarEditor.ArchivedMeasurement": "calendarEditor_archivedmeasurement",
  "calendarEditor.NotificationPreference": "calendarEditor_notificationpreference",
  "calendarEditor.Notification": "calendarEditor_notification",
};

/** Runs `fn` on a connection of its own to the server's database. */
export async function onPostgres<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: E2E_POSTGRES.databaseUrl });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** Rows per Django label in the server's database. */
export function postgresCounts(): Promise<Record<string, number>> {
  return onPostgres(async (client) => {
    const counts: Record<string, number> = {};
    for (const [label, table] of Object.entries(TABLES)) {
      const { rows } = await client.query<{ n: string }>(`SELECT COUNT(*) AS n FROM "${table}"`);
      counts[label] = Number(rows[0]!.n);
    }
    return counts;
  });
}
