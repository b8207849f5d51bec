// A real S3-protocol server (s3rver) on 127.0.0.1 for the off-site tests, with a TCP relay in
// front of it that a test can cut mid-transfer (a server that dies during an upload).
import net, { type AddressInfo } from "node:net";

import S3rver from "s3rver";

import { tempDir } from "@/tests/support/db";

export const S3_BUCKET = "lab-backups";

export interface RunningS3 {
  /** Through the relay. */
  endpoint: string;
  /** Env for the app and the CLIs: BACKUP_S3_URL and the s3rver credentials. */
  env(prefix?: string): Record<string, string>;
  /** Drops every connection once `bytes` more have been sent to the server, then refuses new ones. */
  cutAfter(bytes: number): void;
  /** Accept connections again after a cut. */
  heal(): void;
  stop(): Promise<void>;
}

export async function startS3(): Promise<RunningS3> {
  const server = new S3rver({
    address: "127.0.0.1",
    port: 0,
    silent: true,
    directory: tempDir("labq-s3-"),
    configureBuckets: [{ name: S3_BUCKET }],
  });
  const { port: s3Port } = (await server.run()) as AddressInfo;

  let budget = Infinity;
  let refusing = false;
  const sockets = new Set<net.Socket>();
  const relay = net.createServer((client) => {
    if (refusing) return void client.destroy();
    const upstream = net.connect(s3Port, "127.0.0.1");
    sockets.add(client).add(upstream);
    const cut = () => {
      refusing = true;
      for (const s of sockets) s.destroy();
      sockets.clear();
    };
    client.on("data", (chunk: Buffer) => {
      budget -= chunk.length;
      if (budget < 0) return cut();
      upstream.write(chunk);
    });
    upstream.pipe(client);
    for (const s of [client, upstream]) {
      s.on("error", () => {});
      s.on("close", () => {
        client.destroy();
        upstream.destroy();
        sockets.delete(client);
        sockets.delete(upstream);
      });
    }
  });
  await new Promise<void>((resolve) => relay.listen(0, "127.0.0.1", resolve));
  const endpoint = `http://127.0.0.1:${(relay.address() as AddressInfo).port}`;

  return {
    endpoint,
    env: (prefix = "queue") => ({
      BACKUP_S3_URL: `s3://${S3_BUCKET}/${prefix}`,
      BACKUP_S3_ENDPOINT: endpoint,
      AWS_ACCESS_KEY_ID: "S3RVER",
      AWS_SECRET_ACCESS_KEY: "S3RVER",
      AWS_REGION: "us-east-1",
    }),
    cutAfter(bytes) {
      budget = bytes;
    },
    heal() {
      budget = Infinity;
      refusing = false;
    },
    async stop() {
      await new Promise<void>((resolve) => relay.close(() => resolve()));
      for (const s of sockets) s.destroy();
      await server.close();
    },
  };
}
