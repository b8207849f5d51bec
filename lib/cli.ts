// Small helpers shared by the command-line scripts.
import { createInterface } from "node:readline/promises";
import { parseArgs, type ParseArgsConfig } from "node:util";

import { loadConfig } from "@/lib/config";

export function cliArgs<T extends NonNullable<ParseArgsConfig["options"]>>(options: T, allowPositionals = false) {
  return parseArgs({ args: process.argv.slice(2), options, allowPositionals, strict: true });
}

export async function prompt(question: string, { hidden = false } = {}): Promise<string> {
  const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: process.stdin.isTTY });
  if (hidden && process.stdin.isTTY) {
    // Echo nothing while the password is typed.
    (rl as unknown as { _writeToOutput: (s: string) => void })._writeToOutput = (s: string) => {
      if (s.startsWith(question)) process.stdout.write(question);
    };
  }
  try {
    const answer = await rl.question(question);
    if (hidden && process.stdin.isTTY) process.stdout.write("\n");
    return answer;
  } finally {
    rl.close();
  }
}

/**
 * Runs a CLI's main, printing a clean error (no stack) and exiting non-zero on failure. The
 * environment is checked first: a bad setting stops the CLI before it touches anything.
 */
export function runCli(main: () => Promise<number | void>): void {
  Promise.resolve()
    .then(() => {
      loadConfig();
      return main();
    })
    .then(
      (code) => process.exit(code ?? 0),
      (error: unknown) => {
        console.error(`Error: ${error instanceof Error ? error.message : String(error)}`);
        process.exit(1);
      },
    );
}
