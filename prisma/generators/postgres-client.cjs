#!/usr/bin/env node
// A Prisma generator that generates PostgreSQL's client too, so that a plain `prisma generate`
// (npm's postinstall, a fresh checkout's set-up) always writes both clients lib/db/prisma.ts
// imports. It runs the Prisma CLI on prisma/postgres/schema.prisma, which is derived from this
// schema and so lists this generator as well: there it does nothing.
const { generatorHandler } = require("@prisma/generator-helper");
const { spawnSync } = require("node:child_process");
const path = require("node:path");

generatorHandler({
  onManifest: () => ({ prettyName: "PostgreSQL's Prisma client", defaultOutput: "../generated/prisma-postgres" }),
  onGenerate: async (options) => {
    if (options.datasources[0]?.activeProvider === "postgresql") return;
    const root = path.resolve(__dirname, "../..");
    const cli = require.resolve("prisma/build/index.js", { paths: [root] });
    const result = spawnSync(process.execPath, [cli, "generate", "--config", "prisma/postgres/prisma.config.ts"], {
      cwd: root,
      encoding: "utf8",
    });
    if (result.status !== 0)
      throw new Error(`Generating PostgreSQL's client failed:\n${result.stdout}\n${result.stderr}`);
  },
});
