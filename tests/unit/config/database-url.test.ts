// DATABASE_URL names the engine: a SQLite file (the default) or a PostgreSQL server. The parts
// of the app that still work on a SQLite file only refuse a PostgreSQL URL rather than read it
// as a path, where SQLite would quietly create a new, empty database.
import path from "node:path";

import { afterEach, describe, expect, it } from "vitest";

import { databaseEngine, databasePath, databaseUrl, dataDir, prismaCliDatabaseUrl } from "@/lib/config";
import { setEnv } from "@/tests/support/env";

const saved = { DATABASE_URL: process.env.DATABASE_URL, DATA_DIR: process.env.DATA_DIR };
afterEach(() => setEnv(saved));

function environment(values: { DATABASE_URL?: string; DATA_DIR?: string }): void {
  setEnv({ DATABASE_URL: undefined, DATA_DIR: undefined, ...values });
}

describe("the database DATABASE_URL names", () => {
  it("is the SQLite file data/dev.db when unset", () => {
    environment({});
    expect(databaseUrl()).toBe("file:./data/dev.db");
    expect(databaseEngine()).toBe("sqlite");
    expect(databasePath()).toBe(path.resolve("data/dev.db"));
    expect(dataDir()).toBe(path.resolve("data"));
  });

  it("is PostgreSQL for postgresql:// and postgres:// URLs, and SQLite for file URLs and paths", () => {
    expect(databaseEngine("postgresql://lab@db.example:5432/lab?sslmode=require")).toBe("postgresql");
    expect(databaseEngine("postgres://lab@127.0.0.1/lab")).toBe("postgresql");
    expect(databaseEngine("POSTGRESQL://lab@127.0.0.1/lab")).toBe("postgresql");
    expect(databaseEngine("file:/srv/lab/db.sqlite3")).toBe("sqlite");
    expect(databaseEngine("/srv/lab/postgresql.sqlite3")).toBe("sqlite");
  });

  it("is never read as a file path when it is PostgreSQL's", () => {
    environment({ DATABASE_URL: "postgresql://lab@127.0.0.1:5432/lab" });
    expect(() => databasePath()).toThrow(/works on a SQLite database only; DATABASE_URL names a PostgreSQL one/);
  });

  it("keeps the data folder in DATA_DIR, else in ./data on PostgreSQL", () => {
    environment({ DATABASE_URL: "postgresql://lab@127.0.0.1:5432/lab" });
    expect(dataDir()).toBe(path.resolve("data"));
    environment({ DATABASE_URL: "postgresql://lab@127.0.0.1:5432/lab", DATA_DIR: "/srv/lab-data" });
    expect(dataDir()).toBe("/srv/lab-data");
  });
});

describe("the database URL the Prisma CLI's config files use", () => {
  it("is DATABASE_URL, or the SQLite default when unset, written back for the schema's env()", () => {
    environment({});
    expect(prismaCliDatabaseUrl()).toBe("file:./data/dev.db");
    expect(process.env.DATABASE_URL).toBe("file:./data/dev.db");
    environment({ DATABASE_URL: "postgresql://lab@127.0.0.1/lab" });
    expect(prismaCliDatabaseUrl()).toBe("postgresql://lab@127.0.0.1/lab");
  });

  it("is a placeholder of the engine asked for when DATABASE_URL names the other (generate never connects)", () => {
    environment({ DATABASE_URL: "file:/tmp/lab.db" });
    expect(prismaCliDatabaseUrl("postgresql")).toBe("postgresql://localhost/not-configured");
    expect(process.env.DATABASE_URL).toBe("postgresql://localhost/not-configured");
    environment({ DATABASE_URL: "postgres://lab@127.0.0.1/lab" });
    expect(prismaCliDatabaseUrl("postgresql")).toBe("postgres://lab@127.0.0.1/lab");
  });
});
