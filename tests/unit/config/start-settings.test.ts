// What `npm start` takes from the environment, with the defaults a fresh clone relies on and the
// stricter ones of a deployed server.
import { afterEach, describe, expect, it } from "vitest";

import { isProduction, shellUser, startSettings } from "@/lib/config";

const NAMES = [
  "NODE_ENV",
  "PORT",
  "NEXTAUTH_URL",
  "RENDER_EXTERNAL_URL",
  "SEED_DEMO_DATA",
  "INITIAL_ADMIN_USERNAME",
  "INITIAL_ADMIN_PASSWORD",
  "USER",
] as const;
const saved = Object.fromEntries(NAMES.map((n) => [n, process.env[n]]));

function environment(values: Partial<Record<(typeof NAMES)[number], string>>): void {
  for (const name of NAMES) delete (process.env as Record<string, string | undefined>)[name];
  Object.assign(process.env, values);
}

afterEach(() => {
  for (const name of NAMES) {
    if (saved[name] === undefined) delete (process.env as Record<string, string | undefined>)[name];
    else (process.env as Record<string, string | undefined>)[name] = saved[name];
  }
});

describe("the start settings", () => {
  it("on a fresh clone: port 3000, localhost, demo data, an admin whose password is generated", () => {
    environment({});
    expect(isProduction()).toBe(false);
    expect(startSettings()).toEqual({
      port: "3000",
      publicUrl: "http://localhost:3000",
      seedDemoData: true,
      initialAdmin: { username: "admin", password: undefined },
    });
  });

  it("in production: no demo data unless asked for, Render's address unless NEXTAUTH_URL says otherwise", () => {
    environment({ NODE_ENV: "production", RENDER_EXTERNAL_URL: "https://lab.onrender.com", PORT: "10000" });
    expect(isProduction()).toBe(true);
    expect(startSettings()).toMatchObject({
      port: "10000",
      publicUrl: "https://lab.onrender.com",
      seedDemoData: false,
    });
    environment({ NODE_ENV: "production", SEED_DEMO_DATA: "1", NEXTAUTH_URL: "https://lab.example.org" });
    expect(startSettings()).toMatchObject({ publicUrl: "https://lab.example.org", seedDemoData: true });
  });

  it("takes the first admin's name and password, and SEED_DEMO_DATA=0, as given", () => {
    environment({ SEED_DEMO_DATA: "0", INITIAL_ADMIN_USERNAME: "ada", INITIAL_ADMIN_PASSWORD: "a-long-password" });
    expect(startSettings()).toMatchObject({
      seedDemoData: false,
      initialAdmin: { username: "ada", password: "a-long-password" },
    });
  });

  it("names a CLI's user by the shell's USER, or cli", () => {
    environment({ USER: "ada" });
    expect(shellUser()).toBe("ada");
    environment({});
    expect(shellUser()).toBe("cli");
  });
});
