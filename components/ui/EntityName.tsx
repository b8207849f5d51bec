import { humanModelName } from "@/lib/backup/format/labels";

/**
 * An entity's one name ("Queue entries"), from its backup label. `showLabel` adds the label a
 * backup file uses ("calendarEditor.QueueEntry") in small print, for someone comparing with the
 * file; screen readers hear only the name, which is also the row's accessible name.
 */
export function EntityName({ label, showLabel = false }: { label: string; showLabel?: boolean }) {
  return (
    <>
      {humanModelName(label)}
      {showLabel ? (
        <code aria-hidden="true" className="block text-xs text-slate-500 [overflow-wrap:anywhere]">
          {label}
        </code>
      ) : null}
    </>
  );
}
