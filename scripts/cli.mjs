// Runs one of the project's TypeScript CLIs as plain JavaScript:
//
//   node scripts/cli.mjs NAME [args…]       runs scripts/NAME.ts
//   node scripts/cli.mjs path/to/file.ts …  runs that file (the benchmark's tasks)
//
// The file is bundled with esbuild into .cli/ (our code only; packages stay in node_modules)
// and rebuilt when any source is newer. Why not tsx: on Node 20 its loader runs in a second
// thread with a JavaScript heap of its own, ~40 MiB of resident memory for every CLI run —
// the difference between a 100k-row export fitting in 150 MiB or not.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const SOURCES = ["scripts", "lib", "bench", "tests/support", "generated", "tsconfig.json", "package-lock.json"];

function newestMtime(entry) {
  if (!fs.existsSync(entry)) return 0;
  const stat = fs.statSync(entry);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return fs.readdirSync(entry).reduce((max, name) => Math.max(max, newestMtime(path.join(entry, name))), stat.mtimeMs);
}

async function bundle(entry) {
  const name = path.relative(root, entry).replace(/\.ts$/, "").replaceAll(path.sep, "__");
  const out = path.join(root, ".cli", `${name}.mjs`);
  const builtAt = fs.existsSync(out) ? fs.statSync(out).mtimeMs : 0;
  if (builtAt > 0 && SOURCES.every((s) => newestMtime(path.join(root, s)) <= builtAt)) return out;
  const pkg = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8"));
  const packages = Object.keys({ ...pkg.dependencies, ...pkg.devDependencies });
  const esbuild = await import("esbuild");
  // Split at dynamic imports: a CLI loads the code of the work it does (and the packages that
  // code imports), not all of it. The chunks are named by their content.
  const result = await esbuild.build({
    entryPoints: { [name]: entry },
    outdir: path.join(root, ".cli"),
    entryNames: "[name]",
    chunkNames: "chunks/[name]-[hash]",
    outExtension: { ".js": ".mjs" },
    splitting: true,
    write: false,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    tsconfig: path.join(root, "tsconfig.json"),
    external: packages.flatMap((p) => [p, `${p}/*`]),
    banner: {
      js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
    },
    logLevel: "error",
  });
  await esbuild.stop();
  // Each file written aside and renamed, the entry last, so a CLI starting or loading a chunk
  // while another rebuilds never reads a half-written file. Chunks of earlier builds stay: a
  // CLI still running may load one.
  const files = [...result.outputFiles].sort((a, b) => (a.path === out) - (b.path === out));
  for (const file of files) {
    if (file.path !== out && fs.existsSync(file.path)) continue;
    fs.mkdirSync(path.dirname(file.path), { recursive: true });
    const partial = `${file.path}.${process.pid}.partial`;
    fs.writeFileSync(partial, file.contents);
    fs.renameSync(partial, file.path);
  }
  return out;
}

const [target, ...args] = process.argv.slice(2);
if (!target) {
  console.error("Usage: node scripts/cli.mjs NAME|FILE.ts [args…]");
  process.exit(64);
}
const entry = target.endsWith(".ts") ? path.resolve(target) : path.join(root, "scripts", `${target}.ts`);
if (!fs.existsSync(entry)) {
  console.error(`No such CLI: ${path.relative(root, entry)}`);
  process.exit(64);
}
const bundled = await bundle(entry);
// The CLI reads its own arguments from process.argv.slice(2).
process.argv = [process.argv[0], bundled, ...args];
await import(pathToFileURL(bundled).href);
