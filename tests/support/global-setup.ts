// Migrates one template database per test run; tests copy it instead of re-running
// `prisma migrate deploy` (seconds each) for every fresh database they need.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

import type { TestProject } from "vitest/node";

import { migrateDatabase } from "../../lib/db/migrate";

export default function setup(project: TestProject) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "labq-tests-"));
  const template = path.join(dir, "template.sqlite3");
  migrateDatabase(template);
  project.provide("templateDatabase", template);
  return () => fs.rmSync(dir, { recursive: true, force: true });
}

declare module "vitest" {
  export interface ProvidedContext {
    templateDatabase: string;
  }
}
