// The export gzipped as ONE gzip member, for `Content-Encoding: gzip` in transit.
//
// Why not the members of gzip-members.ts: Chromium and curl (7.88) decode only the first
// member of a gzip-encoded response and drop the rest, Chromium without any error (a
// 5 MB body of 17 members arrived as its first 300 kB, "download complete"). A file of its
// own type (.json.gz) is saved as is and gunzip reads it whole; a response body is not.
//
// So, the way pigz does it: each chunk is deflated on its own on zlib's threads (as fast as
// the members), ended with a sync flush instead of a final block. Such pieces, end to end,
// are one deflate stream; one gzip header before them, an empty final block and one trailer
// (CRC-32 and length of the whole) after them make one member every client reads.
import { promisify } from "node:util";
import { constants, crc32, deflateRaw } from "node:zlib";

import { GZIP_AHEAD, GZIP_CHUNK_BYTES, GZIP_LEVEL } from "@/lib/backup/export/gzip-members";

const deflatePiece = promisify(deflateRaw);

/** ID1 ID2, deflate, no flags, no time, no extra flags, unknown OS (RFC 1952). */
const GZIP_HEADER = Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff]);
/** A final, empty block with fixed codes: the end of the deflate stream. */
const FINAL_BLOCK = Buffer.from([0x03, 0x00]);

export async function* gzipSingleMember(chunks: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  yield GZIP_HEADER;
  let crc = 0;
  let length = 0;
  const compressing: Promise<Buffer>[] = [];
  for await (const chunk of chunks) {
    const piece = deflatePiece(chunk, {
      level: GZIP_LEVEL,
      chunkSize: GZIP_CHUNK_BYTES,
      // Byte-aligned and not final: the next piece goes straight after it.
      finishFlush: constants.Z_SYNC_FLUSH,
    });
    // Awaited in order below; one left behind by a client that went away must not go unhandled.
    piece.catch(() => undefined);
    compressing.push(piece);
    crc = crc32(chunk, crc);
    length += chunk.length;
    if (compressing.length > GZIP_AHEAD) yield await compressing.shift()!;
  }
  while (compressing.length > 0) yield await compressing.shift()!;
  const trailer = Buffer.alloc(8);
  trailer.writeUInt32LE(crc >>> 0, 0);
  // ISIZE is the length modulo 2^32 (RFC 1952): a 5 GB export is still one valid member.
  trailer.writeUInt32LE(length % 2 ** 32, 4);
  yield Buffer.concat([FINAL_BLOCK, trailer]);
}
