// Manage Storage is ten screens long on a phone, with Restore three screens down: the sections
// as links at the top, below the lg breakpoint (on a laptop the two columns show most at once).
const SECTIONS = [
  { heading: "backup-heading", label: "Back up" },
  { heading: "offsite-heading", label: "Off-site" },
  { heading: "storage-heading", label: "Storage" },
  { heading: "restore-heading", label: "Restore" },
  { heading: "replica-heading", label: "Replica" },
  { heading: "cloud-heading", label: "Cloud Backups" },
  { heading: "snapshots-heading", label: "Safety snapshots" },
  { heading: "archive-heading", label: "Archive" },
  { heading: "history-heading", label: "History" },
  { heading: "sign-in-failures-heading", label: "Sign-in failures" },
];

export function StorageContents() {
  return (
    <nav aria-label="On this page" className="mb-4 lg:hidden">
      <ul className="flex flex-wrap gap-2 text-sm">
        {SECTIONS.map((s) => (
          <li key={s.heading}>
            <a
              href={`#${s.heading}`}
              className="inline-block rounded border border-slate-300 bg-white px-2 py-1 text-sky-800 hover:bg-slate-100"
            >
              {s.label}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
}
