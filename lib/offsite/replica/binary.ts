// The Litestream binary that npm installs: @flydotio/litestream-linux-x64 ships a
// static Litestream v0.3.13 (an optional dependency: other platforms install without it). The
// wrapper package @flydotio/litestream is not used: its other platforms' packages are not on
// the registry these machines reach, so `npm ci` fails on its lock entry; and its `npx` wrapper runs
// the binary with spawnSync, always exits 0, leaves Litestream running when it is stopped
// and costs 44 MB more memory (../shared/STACK.md).
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

import { projectRoot } from "@/lib/db/project-root";

export function litestreamBinary(): string {
  const pkg = `@flydotio/litestream-${process.platform}-${process.arch}`;
  let dir: string;
  try {
    // Resolved from the project's node_modules: the server bundle turns require.resolve into a module id.
    dir = path.dirname(createRequire(path.join(projectRoot(), "package.json")).resolve(`${pkg}/package.json`));
  } catch {
    throw new Error(`Litestream is not installed for ${process.platform}-${process.arch} (npm package ${pkg}).`);
  }
  const binary = path.join(dir, "litestream");
  if (!fs.existsSync(binary)) throw new Error(`Litestream's binary is missing from ${pkg}; run npm install.`);
  return binary;
}
