// Drops the PostgreSQL e2e server's database after the run (the next run makes a new one anyway).
import { execFileSync } from "node:child_process";

import { E2E_POSTGRES } from "./postgres-env";

export default function dropDatabase(): void {
  if (!E2E_POSTGRES.serverUrl) return;
  execFileSync("node", ["e2e/support/postgres-database.mjs", "drop", E2E_POSTGRES.serverUrl, E2E_POSTGRES.database], {
    stdio: "inherit",
  });
}
