// The problems that refuse a file. A damaged file can hold a problem in every record: those
// are listed up to a limit (and counted all), while the few about the file as a whole are
// all listed, first, where a reader looks.
const MAX_LISTED_PROBLEMS = 50;

export class Problems {
  private readonly inRecords: string[] = [];
  private readonly inFile: string[] = [];
  private total = 0;

  /** A problem with one record. */
  record(message: string): void {
    this.total++;
    if (this.inRecords.length < MAX_LISTED_PROBLEMS) this.inRecords.push(message);
  }

  /** A problem with the file as a whole. */
  file(message: string): void {
    this.total++;
    this.inFile.push(message);
  }

  get count(): number {
    return this.total;
  }

  /** File problems, then record problems, then how many more were not listed. */
  list(): string[] {
    const listed = [...this.inFile, ...this.inRecords];
    if (this.total > listed.length) listed.push(`…and ${this.total - listed.length} more problems.`);
    return listed;
  }
}
