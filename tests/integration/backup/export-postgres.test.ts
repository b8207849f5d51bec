// An export from PostgreSQL is the same backup document as one from SQLite of the same data:
// the same records in the same order, written the same way (microseconds, JSON text as stored,
// doubles), and the same integrity block.
import { expect, it } from "vitest";

import { withSqlite } from "@/lib/db/sqlite";
import { seedDemoData } from "@/lib/seed/seed";
import { exportText, type BackupDoc } from "@/tests/support/backup";
import { freshDatabase } from "@/tests/support/db";
import { describeOnPostgres, freshPostgresDatabase } from "@/tests/support/postgres";
import { copySqliteToPostgres, seededOnBothEngines } from "@/tests/support/postgres-data";

/** The document without its export time, the only thing two exports of the same data may differ in. */
const withoutDate = (text: string) => {
  const { export_date, ...rest } = JSON.parse(text) as BackupDoc;
  expect(export_date).toMatch(/Z$/);
  return rest;
};

/** The record lines of a document (one record per line, as the exporter writes them). */
const recordLines = (text: string) => text.split("\n").filter((line) => line.startsWith('{"model":'));

describeOnPostgres("export from PostgreSQL", () => {
  it("writes the same records, counts and digest as SQLite does for the same seeded data", async () => {
    const { file, url } = await seededOnBothEngines(300);
    const [fromSqlite, fromPostgres] = [await exportText(file), await exportText(url)];
    expect(recordLines(fromPostgres).length).toBeGreaterThan(1000);
    // Byte for byte, record by record: the same text, not only the same parsed values.
    expect(recordLines(fromPostgres)).toEqual(recordLines(fromSqlite));
    const [sqliteDoc, postgresDoc] = [withoutDate(fromSqlite), withoutDate(fromPostgres)];
    expect(postgresDoc).toEqual(sqliteDoc);
    expect(postgresDoc.integrity).toMatchObject({ complete: true, errors: {} });
    expect(postgresDoc.schema_version).toBe("20261125090000_original_schema");
  });

  it("writes odd stored values as SQLite's export does: microseconds, doubles in every form, JSON as written, any text", async () => {
    const file = freshDatabase({ activate: false });
    withSqlite((db) => {
      seedDemoData(db, 10, 1);
      const machines = db.prepare("SELECT id FROM calendarEditor_machine ORDER BY id").pluck().all() as number[];
      const setMachine = db.prepare(
        "UPDATE calendarEditor_machine SET cached_temperature = ?, min_temp = ?, max_temp = ?, b_field_x = ?, last_temp_update = ?, name = ? WHERE id = ?",
      );
      const odd: [number | null, number, number, number, string | null, string][] = [
        [1e-7, 0.1, 0.30000000000000004, -299.985, "2024-07-27T14:29:43.123456+00:00", 'quote " back \\ slash /'],
        [
          1e21,
          5e-324,
          1.7976931348623157e308,
          -0,
          "2024-07-27T14:29:43.100+00:00",
          "tab\tnew\nline\r\u0001\u001f\u007f",
        ],
        [
          123456789012345680000,
          0.00001,
          0.0001,
          999999999999999.9,
          "2024-07-27T14:29:43.000+00:00",
          "µ-wave Ω 測定 🧊 \u2028",
        ],
        [null, 1e15, 12, 1e-4, "2024-07-27T14:29:43.000001+00:00", ""],
        [4.35, -1e-5, 2 ** 53, 123456.789, null, "0001"],
      ];
      odd.forEach((values, i) => setMachine.run(...values, machines[i]!));
      db.prepare(
        "UPDATE calendarEditor_archivedmeasurement SET preset_snapshot = ? WHERE id = (SELECT min(id) FROM calendarEditor_archivedmeasurement)",
      ).run('{"z": 1,  "a": [1.50, {"y": null}],\n "é": "\\u00e9"}');
    }, file);
    const url = await freshPostgresDatabase({ activate: false });
    await copySqliteToPostgres(file, url);

    const [fromSqlite, fromPostgres] = [await exportText(file), await exportText(url)];
    expect(recordLines(fromPostgres)).toEqual(recordLines(fromSqlite));
    expect(withoutDate(fromPostgres)).toEqual(withoutDate(fromSqlite));
    // Spelled out, so that two engines agreeing on a wrong text cannot pass.
    expect(fromPostgres).toContain('"cached_temperature":1e-7,');
    expect(fromPostgres).toContain('"cached_temperature":1e+21,');
    expect(fromPostgres).toContain('"cached_temperature":123456789012345680000,');
    expect(fromPostgres).toContain('"min_temp":0.00001,');
    expect(fromPostgres).toContain('"last_temp_update":"2024-07-27T14:29:43.123456Z"');
    expect(fromPostgres).toContain('"last_temp_update":"2024-07-27T14:29:43.100Z"');
    expect(fromPostgres).toContain('"last_temp_update":"2024-07-27T14:29:43Z"');
    expect(fromPostgres).toContain('"last_temp_update":"2024-07-27T14:29:43.000001Z"');
    expect(fromPostgres).toContain(
      '"preset_snapshot":{"z": 1,  "a": [1.50, {"y": null}],\\n "é": "\\u00e9"}'.replace("\\n", "\n"),
    );
    expect(fromPostgres).toContain('"name":"tab\\tnew\\nline\\r\\u0001\\u001f\u007f"');
  });
});
