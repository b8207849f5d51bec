#!/usr/bin/env node
// A Prisma generator that writes the full datamodel (DMMF) to JSON. The generated
// client only carries a pruned copy without nullability, defaults or foreign-key
// fields; lib/backup derives the backup mapping and restore order from this file.
const { generatorHandler } = require("@prisma/generator-helper");
const fs = require("node:fs");
const path = require("node:path");

generatorHandler({
  onManifest: () => ({ prettyName: "DMMF datamodel JSON", defaultOutput: "../generated/dmmf.json" }),
  onGenerate: async (options) => {
    const out = options.generator.output.value;
    fs.mkdirSync(path.dirname(out), { recursive: true });
    fs.writeFileSync(out, JSON.stringify(options.dmmf.datamodel, null, 1));
  },
});
