// prisma/schema.prisma is the one source of the data model: PostgreSQL's copy and its migrations
// are derived from it, and these tests fail as soon as they drift apart.
import fs from "node:fs";
import path from "node:path";

import { describe, expect, it } from "vitest";

import { knownMigrations } from "@/lib/db/migrate";
import { POSTGRES_MIGRATIONS_DIR, postgresMigrations } from "@/lib/db/postgres/migrate";
import { POSTGRES_SCHEMA_PATH, postgresSchemaFrom } from "@/lib/db/postgres/schema-source";

const read = (file: string) => fs.readFileSync(path.resolve(file), "utf8");

interface DmmfField {
  name: string;
  type: string;
  nativeType?: [string, string[]] | null;
}
interface Dmmf {
  models: { name: string; fields: DmmfField[] }[];
}
const readDmmf = (file: string) => JSON.parse(read(file)) as Dmmf;

describe("PostgreSQL's copy of the schema", () => {
  it("is exactly what the generator writes from prisma/schema.prisma (run `npm run db:pg-schema` after a change)", () => {
    expect(read(POSTGRES_SCHEMA_PATH)).toBe(postgresSchemaFrom(read("prisma/schema.prisma")));
  });

  it("gives every DateTime microsecond timestamptz and every Json plain json", () => {
    const fields = readDmmf("generated/dmmf-postgres.json").models.flatMap((m) => m.fields);
    const dates = fields.filter((f) => f.type === "DateTime");
    const json = fields.filter((f) => f.type === "Json");
    expect(dates.length).toBeGreaterThan(30);
    expect(json.length).toBeGreaterThan(0);
    for (const field of dates) expect(field.nativeType, field.name).toEqual(["Timestamptz", ["6"]]);
    for (const field of json) expect(field.nativeType, field.name).toEqual(["Json", []]);
  });

  it("has the same datamodel (DMMF) as SQLite's, column types aside", () => {
    const withoutColumnTypes = (dmmf: Dmmf) =>
      JSON.stringify(dmmf, (key, value: unknown) => (key === "nativeType" ? undefined : value));
    const sqlite = readDmmf("generated/dmmf.json");
    const postgres = readDmmf("generated/dmmf-postgres.json");
    expect(sqlite.models.map((m) => m.name)).toContain("QueueEntry");
    expect(withoutColumnTypes(postgres)).toBe(withoutColumnTypes(sqlite));
  });

  it("has a PostgreSQL migration of the same name for each of SQLite's, and no other", () => {
    expect(postgresMigrations().map((m) => m.name)).toEqual(knownMigrations());
    expect(read(path.join(POSTGRES_MIGRATIONS_DIR, "migration_lock.toml"))).toContain('provider = "postgresql"');
  });
});

describe("deriving the PostgreSQL schema", () => {
  const source = `// A comment about DateTime Json
generator client {
  provider = "prisma-client"
  output   = "../generated/prisma"
}

datasource db {
  provider = "sqlite"
  url      = env("DATABASE_URL")
}

model Thing {
  id        Int       @id @default(autoincrement())
  seenAt    DateTime?
  createdAt DateTime  @default(now()) @map("created_at")
  snapshot  Json?     @map("snapshot")
  label     String    @default("DateTime")
}
`;
  const derived = postgresSchemaFrom(source);

  it("switches the provider and the client's output folder, and says it is generated", () => {
    expect(derived).toMatch(/^\/\/ GENERATED from prisma\/schema\.prisma/);
    expect(derived).toContain('provider = "postgresql"');
    expect(derived).not.toContain('"sqlite"');
    expect(derived).toContain('output   = "../../generated/prisma-postgres"');
  });

  it("adds the column types to DateTime and Json fields, optional or not, and to nothing else", () => {
    expect(derived).toContain("  seenAt    DateTime? @db.Timestamptz(6)\n");
    expect(derived).toContain('  createdAt DateTime  @db.Timestamptz(6) @default(now()) @map("created_at")\n');
    expect(derived).toContain('  snapshot  Json?     @db.Json @map("snapshot")\n');
    expect(derived).toContain('  label     String    @default("DateTime")\n');
    expect(derived).toContain("// A comment about DateTime Json\n");
  });

  it("refuses a field that already names a column type", () => {
    expect(() => postgresSchemaFrom(source.replace("DateTime?", "DateTime? @db.Date"))).toThrow(
      /already names a column type/,
    );
  });
});
