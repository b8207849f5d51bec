// prisma/schema.prisma is the one source of the data model. PostgreSQL's copy,
// prisma/postgres/schema.prisma, is derived from it by `npm run db:pg-schema` and never
// edited by hand; a test fails when the committed copy differs from what this writes.
//
// What changes, and why:
// - the provider;
// - every DateTime is `timestamptz(6)`: Prisma's default `timestamp(3)` rounds the
//   microseconds Django's backups carry (.678901 → .679), and a restore must keep them;
// - every Json is `json`, not Prisma's default `jsonb`, which reorders keys and drops
//   whitespace, so an export would no longer give back the text it was restored from;
// - output paths, which are relative to the schema file (one folder deeper), and the
//   PostgreSQL client's own output folder (its query compiler is PostgreSQL's).

export const POSTGRES_SCHEMA_PATH = "prisma/postgres/schema.prisma";

const HEADER = `// GENERATED from prisma/schema.prisma by \`npm run db:pg-schema\`: do not edit.
// The PostgreSQL copy of the data model: timestamptz(6) for every DateTime (microseconds
// survive), json for every Json (key order and whitespace survive).

`;

const NATIVE_TYPES: Record<string, string> = { DateTime: "@db.Timestamptz(6)", Json: "@db.Json" };

/** The PostgreSQL schema for a SQLite schema's text. */
export function postgresSchemaFrom(sqliteSchema: string): string {
  const lines = sqliteSchema.split("\n");
  const out: string[] = [];
  let block: string | null = null;
  for (const line of lines) {
    const opening = /^(model|datasource|generator)\s+\w+\s*\{/.exec(line);
    if (opening) block = opening[1]!;
    else if (/^\}/.test(line)) block = null;
    out.push(block === "model" ? withNativeType(line) : block ? withPostgresSettings(line) : line);
  }
  return HEADER + out.join("\n");
}

/** A model's field line with PostgreSQL's column type for DateTime and Json fields. */
function withNativeType(line: string): string {
  const field = /^(\s+\w+\s+)(DateTime|Json)(\??)(\s*)(.*)$/.exec(line);
  if (!field) return line;
  const [, name, type, optional, space, rest] = field;
  if (rest!.includes("@db.")) throw new Error(`The schema already names a column type: ${line.trim()}`);
  const attribute = NATIVE_TYPES[type!]!;
  const attributes = rest ? `${attribute} ${rest}` : attribute;
  return `${name}${type}${optional}${space || " "}${attributes}`.trimEnd();
}

function withPostgresSettings(line: string): string {
  return line
    .replace(/provider\s*=\s*"sqlite"/, 'provider = "postgresql"')
    .replace(/output(\s*)=(\s*)"\.\.\/generated\/prisma"/, 'output$1=$2"../../generated/prisma-postgres"')
    .replace(/output(\s*)=(\s*)"\.\.\/generated\/dmmf\.json"/, 'output$1=$2"../../generated/dmmf-postgres.json"');
}
