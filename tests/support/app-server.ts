// Starts the real app (`npm start`) on a given database for tests that need HTTP.
import { spawn, type ChildProcess } from "node:child_process";

export interface RunningApp {
  url: string;
  /** Process id of `npm start`; the Next server is one of its descendants. */
  pid: number;
  /** Everything the server printed so far. */
  output(): string;
  stop(): Promise<void>;
}

/** Whether a server answers `url` with success (a refused connection is no answer). */
const answers = (url: string) =>
  fetch(url).then(
    (res) => res.ok,
    () => false,
  );

export async function startApp(env: Record<string, string>, port: number): Promise<RunningApp> {
  const url = `http://localhost:${port}`;
  // A server left on the port (an earlier run killed before it stopped it) would answer for
  // this one, on its own database: a test would then check the wrong app.
  if (await answers(`${url}/signin`)) {
    throw new Error(`Port ${port} already has a server answering; stop it (ss -ltnp | grep :${port}) and run again.`);
  }
  const child: ChildProcess = spawn("npm", ["start"], {
    env: { ...process.env, PORT: String(port), NEXTAUTH_SECRET: "ops-test-secret-0123456789abcdef", ...env },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  let output = "";
  child.stdout!.on("data", (d) => (output += d));
  child.stderr!.on("data", (d) => (output += d));
  const deadline = Date.now() + 240_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`npm start exited early:\n${output}`);
    if (await answers(`${url}/signin`)) break;
    if (Date.now() > deadline) throw new Error(`The app did not start:\n${output}`);
    await new Promise((r) => setTimeout(r, 500));
  }
  return {
    url,
    pid: child.pid!,
    output: () => output,
    stop: async () => {
      const exited = new Promise((resolve) => child.once("exit", resolve));
      process.kill(-child.pid!, "SIGTERM");
      await exited;
      await processGroupGone(child.pid!);
    },
  };
}

/**
 * Waits until no process of the group is left: npm exits before its descendants (the Next
 * server, Litestream's final sync), which may still be writing in the folders a test removes next.
 */
async function processGroupGone(pgid: number): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      process.kill(-pgid, 0);
    } catch {
      return; // ESRCH: the whole group has exited.
    }
    if (Date.now() > deadline) throw new Error(`Processes of group ${pgid} still run 30 s after SIGTERM.`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * Signs in through next-auth's credentials endpoint the way a script would: the Cookie header
 * for later requests and the Set-Cookie lines received (null when the credentials are refused).
 */
export async function signIn(
  url: string,
  username: string,
  password: string,
): Promise<{ cookie: string; setCookie: string[] } | null> {
  const csrf = await fetch(`${url}/api/auth/csrf`);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const jar = new Map<string, string>();
  const setCookie: string[] = [];
  const keep = (res: Response) => {
    for (const line of res.headers.getSetCookie()) {
      setCookie.push(line);
      const [pair] = line.split(";");
      const [name, ...value] = pair!.split("=");
      jar.set(name!, value.join("="));
    }
  };
  keep(csrf);
  const cookie = () => [...jar].map(([k, v]) => `${k}=${v}`).join("; ");
  const res = await fetch(`${url}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: { "Content-Type": "application/x-www-form-urlencoded", Cookie: cookie() },
    body: new URLSearchParams({ username, password, csrfToken, json: "true" }),
  });
  keep(res);
  return [...jar.keys()].some((k) => k.endsWith("next-auth.session-token")) ? { cookie: cookie(), setCookie } : null;
}
