// A real S3-protocol server (s3rver) on 127.0.0.1 for the off-site tests, with a TCP relay in
// front of it that a test can cut mid-transfer (a server that dies during an upload).
import crypto from "node:crypto";
import net, { type AddressInfo } from "node:net";

import S3rver from "s3rver";

import { tempDir } from "@/tests/support/db";

export const S3_BUCKET = "lab-backups";

interface ListOptions {
  delimiter?: string;
  prefix?: string;
  startAfter?: string;
  maxKeys?: number;
}
interface Listing {
  objects: { key: string }[];
  commonPrefixes: string[];
  isTruncated: boolean;
}
interface Store {
  listObjects(bucket: string, options: ListOptions): Promise<Listing>;
}

/**
 * s3rver 3.7.1's file store answers a listing with a delimiter without the CommonPrefixes of
 * keys two or more levels below the prefix (its folder walk skips every folder beneath a
 * common prefix, so it never sees the keys that would name it). Litestream lists
 * `…/generations/` with "/" and finds no generation: "no matching backups found". Real S3,
 * R2, B2 and MinIO answer it. This wrapper lists without a delimiter (every key under the
 * prefix, which the store gets right) and groups the keys into common prefixes as S3 does.
 */
function patchCommonPrefixes(store: Store): void {
  const list = store.listObjects.bind(store);
  store.listObjects = async (bucket, options) => {
    const { delimiter, prefix = "", maxKeys = Infinity } = options;
    if (!delimiter) return list(bucket, options);
    const all = await list(bucket, { ...options, delimiter: "", maxKeys: Infinity });
    const commonPrefixes = new Set<string>();
    const objects: Listing["objects"] = [];
    for (const object of all.objects) {
      const cut = object.key.indexOf(delimiter, prefix.length);
      if (cut === -1) objects.push(object);
      else commonPrefixes.add(object.key.slice(0, cut + delimiter.length));
    }
    return {
      objects: objects.slice(0, maxKeys),
      commonPrefixes: [...commonPrefixes].sort(),
      isTruncated: objects.length > maxKeys,
    };
  };
}

export interface RunningS3 {
  /** Through the relay. */
  endpoint: string;
  /** Env for the app and the CLIs: BACKUP_S3_URL and the s3rver credentials. */
  env(prefix?: string): Record<string, string>;
  /** Drops every connection once `bytes` more have been sent to the server, then refuses new ones. */
  cutAfter(bytes: number): void;
  /** Accept connections again after a cut. */
  heal(): void;
  /**
   * While on, every DeleteObject is answered AccessDenied, as S3 answers an append-only key
   * (a policy without s3:DeleteObject); everything else reaches the real server.
   */
  refuseDeletes(on: boolean): void;
  stop(): Promise<void>;
}

const ACCESS_DENIED =
  '<?xml version="1.0" encoding="UTF-8"?><Error><Code>AccessDenied</Code><Message>Access Denied</Message></Error>';

/**
 * s3rver 3.7.1 makes a listing's continuation token with single DES ("des"), which OpenSSL 3
 * no longer offers: any listing longer than a page answered InternalError. Triple DES with the
 * same key three times is single DES, byte for byte, and OpenSSL 3 still has it.
 */
function singleDesAsTripleDes(): void {
  const patched = crypto as typeof crypto & { singleDesPatched?: boolean };
  if (patched.singleDesPatched) return;
  patched.singleDesPatched = true;
  const asTriple = (key: crypto.CipherKey) => Buffer.concat([key, key, key] as Buffer[]);
  const { createCipheriv, createDecipheriv } = crypto;
  patched.createCipheriv = ((algorithm: string, key: Buffer, iv: Buffer) =>
    algorithm === "des"
      ? createCipheriv("des-ede3-cbc", asTriple(key), iv)
      : createCipheriv(algorithm, key, iv)) as typeof crypto.createCipheriv;
  patched.createDecipheriv = ((algorithm: string, key: Buffer, iv: Buffer) =>
    algorithm === "des"
      ? createDecipheriv("des-ede3-cbc", asTriple(key), iv)
      : createDecipheriv(algorithm, key, iv)) as typeof crypto.createDecipheriv;
}

/**
 * S3 may answer a listing with fewer keys than asked for (1,000 at most); `pageSize` makes
 * s3rver answer with at most that many, so a few objects test what a thousand would.
 */
function limitPages(store: Store, pageSize: number): void {
  const list = store.listObjects.bind(store);
  store.listObjects = (bucket, options) =>
    list(bucket, { ...options, maxKeys: Math.min(options.maxKeys ?? Infinity, pageSize) });
}

export async function startS3({ pageSize }: { pageSize?: number } = {}): Promise<RunningS3> {
  const server = new S3rver({
    address: "127.0.0.1",
    port: 0,
    silent: true,
    directory: tempDir("labq-s3-"),
    configureBuckets: [{ name: S3_BUCKET }],
  });
  patchCommonPrefixes((server as unknown as { store: Store }).store);
  singleDesAsTripleDes();
  if (pageSize) limitPages((server as unknown as { store: Store }).store, pageSize);
  const { port: s3Port } = (await server.run()) as AddressInfo;

  let budget = Infinity;
  let refusing = false;
  let deletesRefused = false;
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
      // A DELETE has no body: its request line and headers arrive as one write.
      if (deletesRefused && chunk.subarray(0, 7).toString() === "DELETE ") {
        const head = `HTTP/1.1 403 Forbidden\r\nContent-Type: application/xml\r\nContent-Length: ${ACCESS_DENIED.length}\r\n\r\n`;
        return void client.write(head + ACCESS_DENIED);
      }
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
    refuseDeletes(on) {
      deletesRefused = on;
    },
    async stop() {
      await new Promise<void>((resolve) => relay.close(() => resolve()));
      for (const s of sockets) s.destroy();
      await server.close();
    },
  };
}

/** A loopback server standing in for a store's address; `stop` ends it and every connection. */
export interface LoopbackServer {
  endpoint: string;
  stop(): Promise<void>;
}

async function loopbackServer(onConnection: (socket: net.Socket, track: (s: net.Socket) => void) => void) {
  const sockets = new Set<net.Socket>();
  const track = (socket: net.Socket) => {
    sockets.add(socket);
    socket.on("error", () => {});
    socket.on("close", () => sockets.delete(socket));
  };
  const server = net.createServer((socket) => {
    track(socket);
    onConnection(socket, track);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    async stop() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  } satisfies LoopbackServer;
}

/** A store that accepts connections and never answers. */
export function hangingStore(): Promise<LoopbackServer> {
  return loopbackServer(() => {});
}

/** A relay to the store at `endpoint` that passes the first `bytes` of each answer, then goes silent. */
export function stallingRelay(endpoint: string, bytes: number): Promise<LoopbackServer> {
  const port = Number(new URL(endpoint).port);
  return loopbackServer((socket, track) => {
    const upstream = net.connect(port, "127.0.0.1");
    track(upstream);
    let budget = bytes;
    socket.pipe(upstream);
    upstream.on("data", (chunk: Buffer) => {
      if (budget > 0) socket.write(chunk.subarray(0, budget));
      budget -= chunk.length;
    });
    socket.on("close", () => upstream.destroy());
  });
}
