// The export gzipped as it is made: what the backup API's .json.gz form serves, and what the
// CLI and the off-site pushes write.
import { promisify } from "node:util";
import { gzip } from "node:zlib";

/**
 * zlib level of the gzipped export. Measured on the 100k export (317 MB, Node's zlib): level 2
 * writes 49 MB in ~1.4 s of CPU (level 1: 53 MB, as fast or slower; level 6: 39 MB in ~5 s).
 */
export const GZIP_LEVEL = 2;

/** Room for a whole compressed chunk: each chunk is then one job on zlib's threads. */
export const GZIP_CHUNK_BYTES = 256 * 1024;

/** Chunks being compressed at once, ahead of the one handed on. */
export const GZIP_AHEAD = 4;

const gzipChunk = promisify(gzip);

/**
 * The document gzipped, each chunk (a page of records, ~0.4 MiB) as a gzip member of its own:
 * a file of several members is one gzip file (RFC 1952; gunzip, Python's gzip and Node's
 * zlib read it whole) and the members are compressed on zlib's threads while the export goes
 * on. One zlib stream instead needs this thread between each of its steps, and this thread is
 * busy with SQLite: the two took turns (100k: 4.1–4.8 s, against 2.9 s for the plain form).
 */
export async function* gzipMembers(chunks: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  const compressing: Promise<Buffer>[] = [];
  for await (const chunk of chunks) {
    const member = gzipChunk(chunk, { level: GZIP_LEVEL, chunkSize: GZIP_CHUNK_BYTES });
    // Awaited in order below; one left behind by a client that went away must not go unhandled.
    member.catch(() => undefined);
    compressing.push(member);
    if (compressing.length > GZIP_AHEAD) yield await compressing.shift()!;
  }
  while (compressing.length > 0) yield await compressing.shift()!;
}
