// The primary keys seen so far, one bit each. A backup's ids are small positive integers
// (autoincrement), and a Set of a million numbers alone took ~45 MiB: the validator's memory
// grew with the file, where a bitmap of the same ids takes 125 KiB. Ids a bitmap would hold
// badly (negative, or beyond MAX_BITMAP_ID, 8 MiB of bits) go to an ordinary Set instead.
const MAX_BITMAP_ID = 2 ** 26;

export interface IdLookup {
  has(id: number): boolean;
}

export class IdSet implements IdLookup {
  private bits = new Uint32Array(1024);
  private others: Set<number> | null = null;

  has(id: number): boolean {
    if (!inBitmap(id)) return this.others?.has(id) ?? false;
    const word = id >>> 5;
    return word < this.bits.length && (this.bits[word]! & (1 << (id & 31))) !== 0;
  }

  add(id: number): void {
    if (!inBitmap(id)) {
      (this.others ??= new Set()).add(id);
      return;
    }
    const word = id >>> 5;
    if (word >= this.bits.length) {
      const grown = new Uint32Array(Math.max(word + 1, this.bits.length * 2));
      grown.set(this.bits);
      this.bits = grown;
    }
    this.bits[word]! |= 1 << (id & 31);
  }
}

const inBitmap = (id: number) => Number.isInteger(id) && id >= 0 && id < MAX_BITMAP_ID;
