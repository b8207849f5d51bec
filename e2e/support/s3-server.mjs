// The e2e suite's S3-protocol server (s3rver) on 127.0.0.1, started by Playwright beside the
// app so the Cloud Backups card has a real object store to list. Data in a throw-away folder.
import fs from "node:fs";
import http from "node:http";

import S3rver from "s3rver";

const [port, directory, bucket] = process.argv.slice(2);
fs.rmSync(directory, { recursive: true, force: true });
fs.mkdirSync(directory, { recursive: true });
const server = new S3rver({
  address: "127.0.0.1",
  port: Number(port),
  silent: true,
  directory,
  configureBuckets: [{ name: bucket }],
});
await server.run();
// Playwright waits for this URL to answer before it starts the app.
http.createServer((_req, res) => res.end("ok")).listen(Number(port) + 1, "127.0.0.1");
console.log(`s3rver on 127.0.0.1:${port}, bucket ${bucket}`);
