// Loads the generated demo dataset into a migrated, empty PostgreSQL database through the app's
// Prisma client. The records are decoded exactly as a restore decodes them (record-schema.ts),
// then each model goes in as batches of one INSERT … SELECT FROM json_populate_recordset: the
// server turns each JSON value into its column's type (text into timestamptz keeps the
// microseconds, a json column keeps its text), and a few statements replace thousands.
import type { PrismaClient } from "@/generated/prisma/client";
import { createRecordDecoder, type DecodedRecord } from "@/lib/backup/format/record-schema";
import { BACKUP_MODELS, BACKUP_TABLES, modelOfRecord, type ModelSpec } from "@/lib/backup/format/schema-model";
import type { SqlValue } from "@/lib/backup/format/values";
import { generateDataset } from "@/lib/seed/generate";

/** Rows per statement: one JSON parameter of a few MB at most. */
const BATCH_ROWS = 5_000;

const quote = (name: string) => `"${name.replaceAll('"', '""')}"`;

/** Runs a statement with parameters on an interactive transaction's client. */
type Transaction = Pick<PrismaClient, "$executeRawUnsafe">;

/** A column's value as JSON text for json_populate_recordset. */
function jsonValue(value: SqlValue, type: ModelSpec["columns"][number]["type"]): string {
  if (value === null) return "null";
  if (type === "Json") return String(value); // already JSON text: kept as written
  if (type === "Boolean") return value === 1 || value === "1" ? "true" : "false";
  if (typeof value === "bigint") return value.toString();
  return JSON.stringify(value);
}

function rowJson(model: ModelSpec, record: DecodedRecord): string {
  const fields = model.columns.map((c, i) => `${JSON.stringify(c.column)}:${jsonValue(record.params[i]!, c.type)}`);
  return `{${fields.join(",")}}`;
}

async function insertRows(tx: Transaction, table: string, columns: string[], rows: string[]): Promise<void> {
  const list = columns.map(quote).join(", ");
  for (let at = 0; at < rows.length; at += BATCH_ROWS) {
    const batch = `[${rows.slice(at, at + BATCH_ROWS).join(",")}]`;
    await tx.$executeRawUnsafe(
      `INSERT INTO ${quote(table)} (${list}) SELECT ${list} FROM json_populate_recordset(NULL::${quote(table)}, $1::json)`,
      batch,
    );
  }
}

/** Points each table's id sequence past its highest id, as a restore does. */
async function resetSequences(tx: Transaction): Promise<void> {
  for (const model of BACKUP_MODELS) {
    const table = quote(model.table);
    const id = quote(model.pk.column);
    await tx.$executeRawUnsafe(
      `SELECT setval(pg_get_serial_sequence($1, $2), COALESCE(MAX(${id}), 1), MAX(${id}) IS NOT NULL) FROM ${table}`,
      table,
      model.pk.column,
    );
  }
}

/** Decodes the generated records, grouped per model (rows) and per join table (links). */
function decodedDataset(scale: number, seed: number) {
  const decoders = new Map(BACKUP_MODELS.map((m) => [m.name, createRecordDecoder(m)]));
  const rows = new Map<string, string[]>(BACKUP_MODELS.map((m) => [m.name, []]));
  const links = new Map<string, string[]>();
  for (const record of generateDataset(scale, seed)) {
    const decoder = decoders.get(modelOfRecord(record.model)!.name)!;
    const decoded = decoder.decode(record);
    if (!decoded.ok) throw new Error(`Generated ${record.model} #${record.pk} is invalid: ${decoded.error}`);
    const model = decoder.model;
    rows.get(model.name)!.push(rowJson(model, decoded.value));
    model.manyToMany.forEach((rel, i) => {
      const list = links.get(rel.table) ?? [];
      for (const target of decoded.value.links[i]!) {
        list.push(
          `{${JSON.stringify(rel.ownColumn)}:${decoded.value.pk},${JSON.stringify(rel.targetColumn)}:${target}}`,
        );
      }
      links.set(rel.table, list);
    });
  }
  return { rows, links };
}

/** Empties every backed-up table and its join tables, and starts their ids at 1 again. */
async function deleteAll(tx: Transaction): Promise<void> {
  await tx.$executeRawUnsafe(`TRUNCATE ${BACKUP_TABLES.map(quote).join(", ")} RESTART IDENTITY`);
}

/**
 * Loads the demo dataset in one transaction (with `replace`, into tables emptied in the same
 * transaction); returns the rows loaded per Django label.
 */
export async function seedDemoDataOnPostgres(
  client: PrismaClient,
  scale: number,
  seed = 1,
  { replace = false } = {},
): Promise<Record<string, number>> {
  const { rows, links } = decodedDataset(scale, seed);
  await client.$transaction(
    async (tx) => {
      if (replace) await deleteAll(tx);
      for (const model of BACKUP_MODELS) {
        await insertRows(
          tx,
          model.table,
          model.columns.map((c) => c.column),
          rows.get(model.name)!,
        );
      }
      for (const model of BACKUP_MODELS) {
        for (const rel of model.manyToMany) {
          await insertRows(tx, rel.table, [rel.ownColumn, rel.targetColumn], links.get(rel.table) ?? []);
        }
      }
      await resetSequences(tx);
    },
    // Prisma's default of 5 s is for requests; a large --scale takes longer.
    { timeout: 600_000, maxWait: 30_000 },
  );
  return Object.fromEntries(BACKUP_MODELS.map((m) => [m.label, rows.get(m.name)!.length]));
}

/** Rows in the backed-up tables, through the Prisma client (either engine). */
export async function backedUpRowTotal(client: PrismaClient): Promise<number> {
  let total = 0;
  for (const model of BACKUP_MODELS) {
    const [{ n }] = await client.$queryRawUnsafe<[{ n: number | bigint }]>(
      `SELECT COUNT(*) AS n FROM ${quote(model.table)}`,
    );
    total += Number(n);
  }
  return total;
}
