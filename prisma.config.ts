// The Prisma CLI talks to the database through the same driver adapter as the app, so no
// native engine is downloaded (see ../shared/STACK.md). DATABASE_URL picks the engine: a
// postgresql:// URL uses PostgreSQL's generated copy of the schema and its migrations
// (prisma/postgres/, whose own config is prisma/postgres/prisma.config.ts); anything else is
// the SQLite file. (`npm install` generates both clients whatever DATABASE_URL says.)
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import { defineConfig } from "prisma/config";

import { databaseEngine, prismaCliDatabaseUrl } from "./lib/config";

const url = prismaCliDatabaseUrl();

export default databaseEngine(url) === "postgresql"
  ? defineConfig({
      experimental: { adapter: true },
      engine: "js",
      schema: "prisma/postgres/schema.prisma",
      migrations: { path: "prisma/postgres/migrations" },
      adapter: async () => new PrismaPg({ connectionString: url }),
    })
  : defineConfig({
      experimental: { adapter: true },
      engine: "js",
      schema: "prisma/schema.prisma",
      adapter: async () => new PrismaBetterSQLite3({ url }),
    });
