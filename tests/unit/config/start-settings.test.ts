// What `npm start` takes from the environment, with the defaults a fresh clone relies on and the
// stricter ones of a deployed server.
import { describe, expect, it } from "vitest";

import { parseConfig } from "@/lib/config";

describe("the start settings", () => {
  it("on a fresh clone: port 3000, localhost, demo data, an admin whose password is generated", () => {
    const config = parseConfig({});
    expect(config.production).toBe(false);
    expect(config.start).toEqual({
      port: "3000",
      publicUrl: "http://localhost:3000",
      seedDemoData: true,
      initialAdmin: { username: "admin", password: undefined },
    });
  });

  it("in production: no demo data unless asked for, Render's address unless NEXTAUTH_URL says otherwise", () => {
    const render = parseConfig({
      NODE_ENV: "production",
      RENDER_EXTERNAL_URL: "https://lab.onrender.com",
      PORT: "10000",
    });
    expect(render.production).toBe(true);
    expect(render.start).toMatchObject({ port: "10000", publicUrl: "https://lab.onrender.com", seedDemoData: false });
    const own = parseConfig({ NODE_ENV: "production", SEED_DEMO_DATA: "1", NEXTAUTH_URL: "https://lab.example.org" });
    expect(own.start).toMatchObject({ publicUrl: "https://lab.example.org", seedDemoData: true });
  });

  it("takes the first admin's name and password, and SEED_DEMO_DATA=0, as given", () => {
    const config = parseConfig({
      SEED_DEMO_DATA: "0",
      INITIAL_ADMIN_USERNAME: "ada",
      INITIAL_ADMIN_PASSWORD: "a-long-password",
    });
    expect(config.start).toMatchObject({
      seedDemoData: false,
      initialAdmin: { username: "ada", password: "a-long-password" },
    });
  });

  it("names a CLI's user by the shell's USER, or cli", () => {
    expect(parseConfig({ USER: "ada" }).shellUser).toBe("ada");
    expect(parseConfig({}).shellUser).toBe("cli");
    expect(parseConfig({ USER: "  " }).shellUser).toBe("cli");
  });
});
