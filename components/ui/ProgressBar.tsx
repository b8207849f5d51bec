export function ProgressBar({ label, value }: { label: string; value: number | null }) {
  const percent = value === null ? null : Math.round(value * 100);
  return (
    <div role="status" aria-live="polite" className="space-y-1">
      <p className="text-sm text-slate-700">
        {label}
        {percent === null ? "…" : ` — ${percent} %`}
      </p>
      <progress className="h-2 w-full accent-sky-700" max={100} value={percent ?? undefined} aria-label={label} />
    </div>
  );
}
