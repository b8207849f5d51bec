// Loads the generated demo dataset into a migrated, empty database through the same
// decode-and-insert path a restore uses.
import { createRecordDecoder } from "@/lib/backup/format/record-schema";
import { BACKUP_MODELS, modelOfRecord } from "@/lib/backup/format/schema-model";
import { createTableLoader } from "@/lib/backup/restore/loader";
import type { Sqlite } from "@/lib/db/sqlite";
import { generateDataset } from "@/lib/seed/generate";

export function seedDemoData(db: Sqlite, scale: number, seed = 1): Record<string, number> {
  const decoders = new Map(BACKUP_MODELS.map((m) => [m.name, createRecordDecoder(m)]));
  const counts: Record<string, number> = {};
  const loader = createTableLoader(db);
  db.transaction(() => {
    for (const record of generateDataset(scale, seed)) {
      const decoder = decoders.get(modelOfRecord(record.model)!.name)!;
      const decoded = decoder.decode(record);
      if (!decoded.ok) throw new Error(`Generated ${record.model} #${record.pk} is invalid: ${decoded.error}`);
      loader.insert(decoder.model, decoded.value);
      counts[decoder.model.label] = (counts[decoder.model.label] ?? 0) + 1;
    }
    loader.resetSequences();
  })();
  return counts;
}
