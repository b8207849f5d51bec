/** A table, column or index name as a quoted SQL identifier: the same rule on SQLite and PostgreSQL. */
export function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
