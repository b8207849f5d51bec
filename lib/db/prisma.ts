// The app's one PrismaClient, cached on globalThis so dev hot reloads reuse it. DATABASE_URL
// picks the engine: a SQLite file (the embedded default) or a postgresql:// server.
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";

import { PrismaClient as PostgresPrismaClient } from "@/generated/prisma-postgres/client";
import { PrismaClient } from "@/generated/prisma/client";
import { databaseEngine, databasePath, databaseUrl } from "@/lib/config";

const cache = globalThis as unknown as { prisma?: PrismaClient; prismaDatabase?: string };

export function prisma(): PrismaClient {
  const url = databaseUrl();
  const database = databaseEngine(url) === "postgresql" ? url : databasePath(url);
  if (!cache.prisma || cache.prismaDatabase !== database) {
    // Only tests switch databases; the client of the previous one would hold its file open.
    void cache.prisma?.$disconnect();
    cache.prisma = createClient(url);
    cache.prismaDatabase = database;
  }
  return cache.prisma;
}

function createClient(url: string): PrismaClient {
  if (databaseEngine(url) === "sqlite") {
    return new PrismaClient({ adapter: new PrismaBetterSQLite3({ url: `file:${databasePath(url)}` }) });
  }
  // A client generated from the SQLite schema refuses the PostgreSQL adapter (its query
  // compiler writes SQLite's SQL), so PostgreSQL has its own, generated from the derived
  // schema (prisma/postgres/schema.prisma). Both come from the same datamodel (a test checks
  // that their DMMFs are the same), so the SQLite client's type describes its models and
  // queries; the types differ only where the engines do (PostgreSQL has more isolation levels
  // and case-insensitive filters), which the app does not use.
  return new PostgresPrismaClient({ adapter: new PrismaPg({ connectionString: url }) }) as unknown as PrismaClient;
}
