// Any S3-compatible object store (AWS S3, MinIO, Cloudflare R2, Backblaze B2, …) through the
// official AWS SDK v3. Uploads are multipart and streamed from the file (5 MiB parts, four
// in flight: ~20 MiB of buffers whatever the backup's size); an object only exists once the
// upload completes, so an interrupted push leaves nothing that lists as a backup.
import fs from "node:fs";
import path from "node:path";
import type { Readable } from "node:stream";

import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  S3Client,
  S3ServiceException,
} from "@aws-sdk/client-s3";
import { Upload } from "@aws-sdk/lib-storage";

import { providerTimeoutMs, type S3Settings } from "@/lib/config";
import {
  backupNameDate,
  newestFirst,
  TargetError,
  type OffsiteBackup,
  type OffsiteTarget,
} from "@/lib/offsite/targets/target";

/** Plain words for what went wrong, without credentials or signed URLs. */
function explain(error: unknown, doing: string, where: string, deniedWords?: string): TargetError {
  if (error instanceof TargetError) return error;
  if (error instanceof S3ServiceException) {
    const words: Record<string, string> = {
      AccessDenied:
        deniedWords ?? "refused the credentials (AccessDenied): check AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY",
      InvalidAccessKeyId: "does not know the access key (AWS_ACCESS_KEY_ID)",
      SignatureDoesNotMatch: "refused the secret key (AWS_SECRET_ACCESS_KEY)",
      NoSuchBucket: "has no such bucket: check BACKUP_S3_URL",
      NoSuchKey: "has no such backup",
      NotFound: "has no such backup",
    };
    const missing = error.name === "NoSuchKey" || error.name === "NotFound";
    return new TargetError(`Could not ${doing}: ${where} ${words[error.name] ?? `answered ${error.name}`}.`, missing);
  }
  const code = (error as NodeJS.ErrnoException).code ?? (error as Error).name;
  if (code === "TimeoutError" || code === "ETIMEDOUT" || code === "RequestTimeout") {
    // Led by the store's name, as the Cloud Backups card shows it (nothing else to say first).
    const seconds = Math.round(providerTimeoutMs() / 1000);
    return new TargetError(
      `${where} is not answering (no reply in ${seconds} s): could not ${doing}. Try again later.`,
    );
  }
  return new TargetError(`Could not ${doing}: ${where} could not be reached (${code}).`);
}

async function mapLimit<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

export function s3Target(settings: S3Settings): OffsiteTarget {
  const client = new S3Client({
    region: settings.region,
    endpoint: settings.endpoint,
    // Stores other than AWS (and s3rver in the tests) want bucket names in the path.
    forcePathStyle: Boolean(settings.endpoint),
    // A copy: the SDK marks the credentials object it is given, and the configuration is frozen.
    credentials: settings.credentials && { ...settings.credentials },
    maxAttempts: 3,
    // A store that accepts the connection and never answers fails each attempt instead of
    // hanging it; the socket timeout also ends a download that stalls midway.
    requestHandler: {
      connectionTimeout: Math.min(5000, providerTimeoutMs()),
      requestTimeout: providerTimeoutMs(),
      throwOnRequestTimeout: true,
      socketTimeout: providerTimeoutMs(),
    },
  });
  const { bucket } = settings;
  const label = `s3://${bucket}${settings.prefix ? `/${settings.prefix}` : ""}`;
  const keyFor = (name: string) => (settings.prefix ? `${settings.prefix}/${name}` : name);
  const inPrefix = (key: string) => path.posix.dirname(key) === (settings.prefix || ".");

  async function describe(key: string, bytes: number): Promise<OffsiteBackup> {
    const head = await client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
    const name = path.posix.basename(key);
    return {
      target: "s3",
      key,
      name,
      bytes,
      date: backupNameDate(name)!,
      sha256: head.Metadata?.sha256 ?? null,
      verified: head.Metadata?.verified === "yes",
    };
  }

  return {
    kind: "s3",
    label,
    writable: true,
    async list() {
      try {
        const found: { key: string; bytes: number }[] = [];
        let token: string | undefined;
        do {
          const page = await client.send(
            new ListObjectsV2Command({
              Bucket: bucket,
              Prefix: settings.prefix ? `${settings.prefix}/` : undefined,
              ContinuationToken: token,
            }),
          );
          for (const object of page.Contents ?? []) {
            const key = object.Key ?? "";
            if (inPrefix(key) && backupNameDate(path.posix.basename(key))) {
              found.push({ key, bytes: object.Size ?? 0 });
            }
          }
          token = page.IsTruncated ? page.NextContinuationToken : undefined;
        } while (token);
        const backups = await mapLimit(found, 8, (f) => describe(f.key, f.bytes));
        return backups.sort(newestFirst);
      } catch (error) {
        throw explain(error, "list the backups", label);
      }
    },
    async read(key) {
      if (!inPrefix(key) || !backupNameDate(path.posix.basename(key))) {
        throw new TargetError(`There is no backup called ${key} in ${label}.`, true);
      }
      try {
        const object = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
        return object.Body as Readable;
      } catch (error) {
        throw explain(error, `read ${path.posix.basename(key)}`, label);
      }
    },
    async write(name, file, sha256, verified) {
      const key = keyFor(name);
      try {
        const upload = new Upload({
          client,
          params: {
            Bucket: bucket,
            Key: key,
            Body: fs.createReadStream(file),
            ContentType: name.endsWith(".json") ? "application/json" : "application/octet-stream",
            Metadata: { sha256, verified: verified ? "yes" : "no" },
          },
          queueSize: 4,
          partSize: 5 * 1024 * 1024,
          // A failed multipart upload is aborted, so no parts linger (and cost) in the bucket.
          leavePartsOnError: false,
        });
        await upload.done();
      } catch (error) {
        throw explain(error, `upload ${name}`, label);
      }
      return describe(key, fs.statSync(file).size);
    },
    async recordedSha256(key) {
      try {
        const head = await client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
        return head.Metadata?.sha256 ?? null;
      } catch (error) {
        throw explain(error, `read ${path.posix.basename(key)}`, label);
      }
    },
    async remove(key) {
      try {
        await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
      } catch (error) {
        // The same key just listed and uploaded: what it lacks is leave to delete (an
        // append-only policy), not the right secret.
        throw explain(
          error,
          `delete ${path.posix.basename(key)}`,
          label,
          "refused to delete it (AccessDenied): the access key may not delete (s3:DeleteObject), as with an append-only key",
        );
      }
    },
  };
}
