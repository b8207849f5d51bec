// node e2e/support/postgres-database.mjs create|drop SERVER_URL NAME
// Makes (dropping any earlier one) or drops the PostgreSQL e2e server's database. Plain
// JavaScript: it runs before `npm start`, as Playwright's webServer command.
import pg from "pg";

const [action, serverUrl, name] = process.argv.slice(2);
if (!["create", "drop"].includes(action) || !serverUrl || !/^[a-z0-9_]+$/.test(name ?? "")) {
  console.error("Usage: node e2e/support/postgres-database.mjs create|drop SERVER_URL NAME");
  process.exit(64);
}
const client = new pg.Client({ connectionString: serverUrl });
await client.connect();
try {
  await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  if (action === "create") await client.query(`CREATE DATABASE "${name}"`);
} finally {
  await client.end();
}
