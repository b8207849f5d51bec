// The app's one PrismaClient, cached on globalThis so dev hot reloads reuse it.
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";

import { PrismaClient } from "@/generated/prisma/client";
import { databasePath } from "@/lib/config";

const cache = globalThis as unknown as { prisma?: PrismaClient; prismaPath?: string };

export function prisma(): PrismaClient {
  const file = databasePath();
  if (!cache.prisma || cache.prismaPath !== file) {
    // Only tests switch databases; the client of the previous one would hold its file open.
    void cache.prisma?.$disconnect();
    cache.prisma = new PrismaClient({ adapter: new PrismaBetterSQLite3({ url: `file:${file}` }) });
    cache.prismaPath = file;
  }
  return cache.prisma;
}
