// The Prisma CLI for PostgreSQL's copy of the schema, through the same driver adapter as the
// app (no native engine is downloaded). `prisma generate --config prisma/postgres/prisma.config.ts`
// writes PostgreSQL's client (npm's postinstall does); the root prisma.config.ts switches to
// these settings by itself when DATABASE_URL is a postgresql:// URL.
import { PrismaPg } from "@prisma/adapter-pg";
import { defineConfig } from "prisma/config";

import { prismaCliDatabaseUrl } from "../../lib/config";

// `generate` validates the schema's datasource URL (and, when it fails, tries to download an
// engine): it needs a postgresql:// URL even where DATABASE_URL is the SQLite file. It never
// connects; anything that does connect uses the adapter and so the real DATABASE_URL.
const url = prismaCliDatabaseUrl("postgresql");

export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: "schema.prisma",
  migrations: { path: "migrations" },
  adapter: async () => new PrismaPg({ connectionString: url }),
});
