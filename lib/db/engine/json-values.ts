// The JSON text of a stored value of each type, as every engine must write it (types.ts,
// RecordTextPart): the reference the engines' fast paths (SQL, COPY text) are held to.
import type { ValueType } from "@/lib/db/engine/types";
import { storedToIso } from "@/lib/db/stored-datetime";

type ValueWriter = (value: unknown) => string;

export const VALUE_WRITERS: Record<ValueType, ValueWriter> = {
  Boolean: (v) => (v === null ? "null" : v ? "true" : "false"),
  DateTime: (v) => (v === null ? "null" : JSON.stringify(storedToIso(String(v)))),
  // Stored as JSON text by the decoder or Prisma: written as it is.
  Json: (v) => (v === null ? "null" : String(v)),
  // JSON's own number text (`4`, where Python writes `4.0`; Django reads both as 4.0), so that
  // re-serialising a parsed record gives the same text and the digest can be re-checked.
  Float: (v) => (v === null ? "null" : JSON.stringify(v)),
  Int: (v) => (v === null ? "null" : JSON.stringify(v)),
  String: (v) => JSON.stringify(v),
};
