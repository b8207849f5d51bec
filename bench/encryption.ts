// npm run bench:encryption -- DATABASE [--runs 3]
// What age encryption costs a backup: the export CLI writing .json, .json.age, .json.gz and
// .json.gz.age from the same database, then db:verify opening each (the .age ones with the
// key), and the reference `age` tool decrypting. Time and peak RSS per task; figures only.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

import { cliArgs, runCli } from "@/lib/cli";
import { formatBytes } from "@/lib/format";
import { newKeyPair } from "@/lib/offsite/encryption";

import { median, timeCommand, type Sample } from "./measure";

async function main() {
  const { values, positionals } = cliArgs({ runs: { type: "string" } }, true);
  const database = positionals[0];
  if (!database) throw new Error("Usage: npm run bench:encryption -- DATABASE [--runs 3]");
  const runs = Number(values.runs ?? 3);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-age-"));
  const { identity, recipient } = await newKeyPair();
  const keyFile = path.join(dir, "key.txt");
  fs.writeFileSync(keyFile, `${identity}\n`, { mode: 0o600 });
  const env = { DATABASE_URL: `file:${path.resolve(database)}`, DATA_DIR: dir };
  const node = (args: string[]) => ["env", [...Object.entries(env).map(([k, v]) => `${k}=${v}`), "node", ...args]];

  const measure = async (task: string, command: string, args: string[], out?: string) => {
    const samples: Sample[] = [];
    for (let i = 0; i < runs; i++) {
      const sample = await timeCommand(command, args);
      if (out) sample.bytes = fs.statSync(out).size;
      samples.push(sample);
    }
    const sample = median(samples);
    console.log(
      `${task.padEnd(34)} ${sample.seconds.toFixed(2).padStart(7)} s  ${formatBytes(sample.peakRssBytes).padStart(10)} peak` +
        (sample.bytes ? `  ${formatBytes(sample.bytes).padStart(10)}` : ""),
    );
  };

  for (const ext of ["json", "json.gz"]) {
    const plain = path.join(dir, `backup.${ext}`);
    const sealed = `${plain}.age`;
    const [cmd, base] = node(["scripts/cli.mjs", "backup", "--out"]) as [string, string[]];
    await measure(`export .${ext}`, cmd, [...base, plain], plain);
    await measure(`export .${ext}.age`, cmd, [...base, sealed, "--encrypt-to", recipient], sealed);
    const [vcmd, vbase] = node(["scripts/cli.mjs", "verify-backup"]) as [string, string[]];
    await measure(`verify .${ext}`, vcmd, [...vbase, plain]);
    await measure(`verify .${ext}.age (decrypts)`, vcmd, [...vbase, sealed, "--identity", keyFile]);
    await measure(`age -d .${ext}.age (reference tool)`, "age", ["-d", "-i", keyFile, "-o", `${plain}.out`, sealed]);
  }
  fs.rmSync(dir, { recursive: true, force: true });
}

void runCli(main);
