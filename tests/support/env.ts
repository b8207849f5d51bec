// The configuration is checked once per process (lib/config.ts). A test that points the app
// at another database or setting changes the environment and checks it again, as a restart
// of the server or a CLI would: through the same schema, so a bad value fails here too.
import { loadConfig } from "@/lib/config";

/** Sets each variable (undefined unsets it), then loads the configuration from the result. */
export function setEnv(values: Record<string, string | undefined>): void {
  for (const [name, value] of Object.entries(values)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  loadConfig();
}
