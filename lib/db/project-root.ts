// The project folder (the one holding prisma/schema.prisma and node_modules), found from the
// running script rather than the working folder: a CLI started by cron from elsewhere, the
// Next server and the test runner all run a script inside it.
import fs from "node:fs";
import path from "node:path";

let found: string | undefined;

export function projectRoot(): string {
  found ??= enclosingProject(process.argv[1]) ?? process.cwd();
  return found;
}

function enclosingProject(script: string | undefined): string | undefined {
  if (!script) return undefined;
  for (let dir = path.dirname(path.resolve(script)); ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, "prisma", "schema.prisma"))) return dir;
    if (path.dirname(dir) === dir) return undefined;
  }
}
