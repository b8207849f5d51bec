// A streaming reader for backup documents. It walks the document's structure byte by
// byte (`{ key: value, "models": { label: [ record, … ] } }`) and hands out one record
// at a time, as its exact bytes and parsed value, so a file of any size is read in
// constant memory, whatever its formatting (our one-record-per-line layout, Django's
// own dumps, or a pretty-printed copy).
import { isUtf8 } from "node:buffer";

import { formatBytes, formatCount, plural } from "@/lib/format";

export class BackupScanError extends Error {
  constructor(
    message: string,
    readonly offset?: number,
  ) {
    super(message);
  }
}

/** The first thing in the file is not a JSON object: whatever it is, it is no JSON backup. */
export class NotJsonObjectError extends BackupScanError {}

export interface ScanHandler {
  /** A top-level member other than `models`. */
  member(key: string, value: unknown): void;
  modelStart(label: string): void;
  /** `bytes` is the record's exact text in the file (for the digest). */
  record(label: string, value: unknown, bytes: Uint8Array): void;
  /** A model written as `{ "error": … }` (or anything that is not a list). */
  modelValue(label: string, value: unknown): void;
  modelEnd(label: string): void;
}

const enum State {
  DocOpen,
  TopKey,
  TopKeyOrEnd,
  TopAfterValue,
  TopValue,
  ModelsOpen,
  ModelsKeyOrEnd,
  ModelsKey,
  ModelsAfterValue,
  ModelValue,
  RecordsFirst,
  RecordsNext,
  RecordsAfter,
  Done,
}

const QUOTE = 0x22,
  BACKSLASH = 0x5c,
  COLON = 0x3a,
  COMMA = 0x2c;
const OPEN_OBJECT = 0x7b,
  CLOSE_OBJECT = 0x7d,
  OPEN_ARRAY = 0x5b,
  CLOSE_ARRAY = 0x5d;

/** The UTF-8 byte-order mark some Windows editors put first when they save a file. */
const BOM = [0xef, 0xbb, 0xbf];

const isSpace = (b: number) => b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09;

const MORE = Symbol("need more data");
type Step<T> = T | typeof MORE;

export class BackupScanner {
  private buf: Buffer = Buffer.alloc(0);
  private pos = 0;
  private dropped = 0;
  private state = State.DocOpen;
  private key = "";
  private label = "";
  private recordIndex = 0;
  private sawMembers = false;
  private seenBytes = 0;
  // Resumable progress through a value that spans chunks.
  private valueStart = -1;
  private scanPos = 0;
  private depth = 0;
  private inString = false;

  constructor(private readonly handler: ScanHandler) {}

  get bytesRead(): number {
    return this.seenBytes;
  }

  push(chunk: Uint8Array): void {
    this.seenBytes += chunk.length;
    const keepFrom = this.valueStart >= 0 ? this.valueStart : this.pos;
    const rest = this.buf.subarray(keepFrom);
    this.buf =
      rest.length > 0 ? Buffer.concat([rest, chunk]) : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.length);
    this.dropped += keepFrom;
    this.pos -= keepFrom;
    if (this.valueStart >= 0) {
      this.scanPos -= keepFrom;
      this.valueStart = 0;
    }
    if (this.dropped === 0 && this.pos === 0) {
      if (BOM.every((b, i) => this.buf[i] === b)) this.pos = BOM.length;
      // A read that ends inside the byte-order mark: wait for the rest of it.
      else if (this.buf.length < BOM.length && this.buf.every((b, i) => b === BOM[i])) return;
    }
    this.run(false);
  }

  end(): void {
    this.run(true);
    if (this.seenBytes === 0 || (this.state === State.DocOpen && this.onlySpaceLeft())) {
      throw new BackupScanError("The file is empty.");
    }
    if (this.state !== State.Done) {
      throw new BackupScanError(`The file ends early: it looks truncated (it stops ${this.where()}).`, this.offset());
    }
  }

  private onlySpaceLeft(): boolean {
    for (let i = this.pos; i < this.buf.length; i++) if (!isSpace(this.buf[i]!)) return false;
    return true;
  }

  private offset(): number {
    return this.dropped + this.pos;
  }

  private where(): string {
    if (this.state >= State.RecordsFirst && this.state <= State.RecordsAfter) {
      return `in "${this.label}" after ${formatCount(this.recordIndex)} ${plural(this.recordIndex, "record")}`;
    }
    if (this.state >= State.ModelsOpen) return `inside "models"`;
    return "before the end of the document";
  }

  private fail(message: string, Kind: typeof BackupScanError = BackupScanError): never {
    const where = this.offset() === 0 ? "at the very start of the file" : `${formatBytes(this.offset())} into the file`;
    throw new Kind(`${message} (${where})`, this.offset());
  }

  private skipSpace(): Step<number> {
    while (this.pos < this.buf.length) {
      const b = this.buf[this.pos]!;
      if (!isSpace(b)) return b;
      this.pos++;
    }
    return MORE;
  }

  private expect(byte: number, what: string): Step<true> {
    const b = this.skipSpace();
    if (b === MORE) return MORE;
    if (b !== byte) this.fail(`Expected ${what} but found ${JSON.stringify(String.fromCharCode(b))}`);
    this.pos++;
    return true;
  }

  /** A key string followed by a colon. */
  private readKey(): Step<string> {
    const b = this.skipSpace();
    if (b === MORE) return MORE;
    if (b !== QUOTE) this.fail("Expected a quoted member name");
    const close = this.findStringEnd(this.pos + 1);
    if (close < 0) return MORE;
    let colon = close + 1;
    while (colon < this.buf.length && isSpace(this.buf[colon]!)) colon++;
    if (colon >= this.buf.length) return MORE;
    if (this.buf[colon] !== COLON) {
      this.pos = colon;
      this.fail("Expected ':' after a member name");
    }
    const key = this.parse(this.pos, close + 1, "member name") as string;
    this.pos = colon + 1;
    return key;
  }

  /** Index of the quote closing a string whose content starts at `from`, or -1. */
  private findStringEnd(from: number): number {
    let i = from;
    for (;;) {
      const q = this.buf.indexOf(QUOTE, i);
      if (q < 0) return -1;
      let slashes = 0;
      for (let j = q - 1; j >= from && this.buf[j] === BACKSLASH; j--) slashes++;
      if (slashes % 2 === 0) return q;
      i = q + 1;
    }
  }

  /** Finds the end of the JSON value starting at `pos`; returns [start, end) or MORE. */
  private captureValue(final: boolean): Step<[number, number]> {
    if (this.valueStart < 0) {
      const b = this.skipSpace();
      if (b === MORE) return MORE;
      this.valueStart = this.pos;
      this.scanPos = this.pos;
      this.depth = 0;
      this.inString = false;
    }
    const buf = this.buf;
    const first = buf[this.valueStart]!;
    let i = this.scanPos;
    if (first === OPEN_OBJECT || first === OPEN_ARRAY) {
      while (i < buf.length) {
        if (this.inString) {
          const close = this.findStringEnd(i);
          if (close < 0) {
            // Resume just before a trailing run of backslashes so an escape is never split.
            let j = buf.length;
            while (j > i && buf[j - 1] === BACKSLASH) j--;
            this.scanPos = j;
            return MORE;
          }
          this.inString = false;
          i = close + 1;
          continue;
        }
        const b = buf[i]!;
        if (b === QUOTE) this.inString = true;
        else if (b === OPEN_OBJECT || b === OPEN_ARRAY) this.depth++;
        else if (b === CLOSE_OBJECT || b === CLOSE_ARRAY) {
          if (--this.depth === 0) return this.finishValue(i + 1);
        }
        i++;
      }
      this.scanPos = i;
      return MORE;
    }
    if (first === QUOTE) {
      const close = this.findStringEnd(this.valueStart + 1);
      if (close < 0) return MORE;
      return this.finishValue(close + 1);
    }
    while (i < buf.length) {
      const b = buf[i]!;
      if (b === COMMA || b === CLOSE_ARRAY || b === CLOSE_OBJECT || isSpace(b)) return this.finishValue(i);
      i++;
    }
    this.scanPos = i;
    return final ? this.finishValue(i) : MORE;
  }

  private finishValue(end: number): [number, number] {
    const start = this.valueStart;
    this.valueStart = -1;
    this.pos = end;
    return [start, end];
  }

  private parse(start: number, end: number, what: string): unknown {
    // JSON is UTF-8 (RFC 8259), and Python's json, like the original app, refuses anything
    // else; decoding would quietly turn a damaged byte into U+FFFD instead.
    if (!isUtf8(this.buf.subarray(start, end))) {
      this.pos = start;
      this.fail(`Damaged text in ${what}: bytes that are not valid UTF-8`);
    }
    try {
      return JSON.parse(this.buf.toString("utf8", start, end));
    } catch (error) {
      this.pos = start;
      this.fail(`Malformed JSON in ${what}: ${(error as Error).message}`);
    }
  }

  private run(final: boolean): void {
    for (;;) {
      switch (this.state) {
        case State.DocOpen: {
          const b = this.skipSpace();
          if (b === MORE) return;
          if (b !== OPEN_OBJECT) {
            this.fail("This is not a backup file: it does not start with a JSON object", NotJsonObjectError);
          }
          this.pos++;
          this.state = State.TopKeyOrEnd;
          break;
        }
        case State.TopKeyOrEnd: {
          const b = this.skipSpace();
          if (b === MORE) return;
          if (b === CLOSE_OBJECT && !this.sawMembers) {
            this.pos++;
            this.state = State.Done;
            break;
          }
          this.state = State.TopKey;
          break;
        }
        case State.TopKey: {
          const key = this.readKey();
          if (key === MORE) return;
          this.key = key;
          this.sawMembers = true;
          this.state = key === "models" ? State.ModelsOpen : State.TopValue;
          break;
        }
        case State.TopValue: {
          const span = this.captureValue(final);
          if (span === MORE) return;
          this.handler.member(this.key, this.parse(span[0], span[1], `"${this.key}"`));
          this.state = State.TopAfterValue;
          break;
        }
        case State.TopAfterValue: {
          const b = this.skipSpace();
          if (b === MORE) return;
          this.pos++;
          if (b === COMMA) this.state = State.TopKey;
          else if (b === CLOSE_OBJECT) this.state = State.Done;
          else this.fail("Expected ',' or '}' between top-level members");
          break;
        }
        case State.ModelsOpen: {
          if (this.expect(OPEN_OBJECT, `"{" to open "models"`) === MORE) return;
          this.state = State.ModelsKeyOrEnd;
          break;
        }
        case State.ModelsKeyOrEnd: {
          const b = this.skipSpace();
          if (b === MORE) return;
          if (b === CLOSE_OBJECT) {
            this.pos++;
            this.state = State.TopAfterValue;
          } else this.state = State.ModelsKey;
          break;
        }
        case State.ModelsKey: {
          const label = this.readKey();
          if (label === MORE) return;
          this.label = label;
          this.state = State.ModelValue;
          break;
        }
        case State.ModelValue: {
          const b = this.skipSpace();
          if (b === MORE) return;
          if (b === OPEN_ARRAY) {
            this.pos++;
            this.recordIndex = 0;
            this.handler.modelStart(this.label);
            this.state = State.RecordsFirst;
            break;
          }
          const span = this.captureValue(final);
          if (span === MORE) return;
          this.handler.modelValue(this.label, this.parse(span[0], span[1], `"${this.label}"`));
          this.state = State.ModelsAfterValue;
          break;
        }
        case State.RecordsFirst: {
          const b = this.skipSpace();
          if (b === MORE) return;
          if (b === CLOSE_ARRAY) {
            this.pos++;
            this.handler.modelEnd(this.label);
            this.state = State.ModelsAfterValue;
          } else this.state = State.RecordsNext;
          break;
        }
        case State.RecordsNext: {
          const span = this.captureValue(final);
          if (span === MORE) return;
          const value = this.parse(span[0], span[1], `record ${this.recordIndex + 1} of "${this.label}"`);
          this.handler.record(this.label, value, this.buf.subarray(span[0], span[1]));
          this.recordIndex++;
          this.state = State.RecordsAfter;
          break;
        }
        case State.RecordsAfter: {
          const b = this.skipSpace();
          if (b === MORE) return;
          this.pos++;
          if (b === COMMA) this.state = State.RecordsNext;
          else if (b === CLOSE_ARRAY) {
            this.handler.modelEnd(this.label);
            this.state = State.ModelsAfterValue;
          } else this.fail(`Expected ',' or ']' between records of "${this.label}"`);
          break;
        }
        case State.ModelsAfterValue: {
          const b = this.skipSpace();
          if (b === MORE) return;
          this.pos++;
          if (b === COMMA) this.state = State.ModelsKey;
          else if (b === CLOSE_OBJECT) this.state = State.TopAfterValue;
          else this.fail(`Expected ',' or '}' after "${this.label}"`);
          break;
        }
        case State.Done: {
          const b = this.skipSpace();
          if (b === MORE) return;
          this.fail("Unexpected data after the end of the document");
        }
      }
    }
  }
}
