"use client";

import { useRouter } from "next/navigation";
import { useEffect, useRef, useState } from "react";

import { formatBytes } from "@/lib/format";

interface Download {
  id: number;
  kind: string;
  result: string;
  file: string;
  bytes: number | null;
  sha256: string | null;
}

const buttonClass = "inline-block rounded bg-sky-700 px-4 py-2 font-medium text-white hover:bg-sky-800";
const POLL_MS = 1000;
const GIVE_UP_MS = 15 * 60 * 1000;

/**
 * The downloads (the SQLite snapshot only on SQLite), and what each one delivered once the server has finished it: the file's
 * name, size and full SHA-256 (compare with `sha256sum`), with History refreshed in place.
 */
export function BackupDownloads({ lastEventId, snapshot = true }: { lastEventId: number; snapshot?: boolean }) {
  const router = useRouter();
  const [waiting, setWaiting] = useState<string | null>(null);
  const [done, setDone] = useState<Download | null>(null);
  const since = useRef(lastEventId);
  const timer = useRef<ReturnType<typeof setInterval>>(undefined);

  useEffect(() => () => clearInterval(timer.current), []);

  function watch(what: string) {
    setWaiting(what);
    setDone(null);
    clearInterval(timer.current);
    const started = Date.now();
    timer.current = setInterval(async () => {
      if (Date.now() - started > GIVE_UP_MS) return clearInterval(timer.current);
      try {
        const res = await fetch(`/admin/storage/downloads?after=${since.current}`, { cache: "no-store" });
        const { downloads } = (await res.json()) as { downloads: Download[] };
        const latest = downloads[0];
        if (!latest) return;
        since.current = latest.id;
        clearInterval(timer.current);
        setWaiting(null);
        setDone(latest);
        router.refresh();
      } catch {
        // A missed poll only delays the message.
      }
    }, POLL_MS);
  }

  return (
    <div className="mt-4 space-y-3">
      <div className="flex flex-wrap gap-3">
        <a className={buttonClass} href="/admin/storage/export" download onClick={() => watch("the complete database")}>
          Export Complete Database
        </a>
        {snapshot ? (
          <a
            className={buttonClass}
            href="/admin/storage/snapshot"
            download
            onClick={() => watch("the SQLite snapshot")}
          >
            Download SQLite snapshot
          </a>
        ) : null}
      </div>
      {waiting ? (
        <p role="status" className="text-sm text-slate-600">
          Preparing {waiting}… your browser saves it when it is ready.
        </p>
      ) : null}
      {done ? (
        <div role="status" className="rounded bg-emerald-50 p-3 text-sm text-emerald-900" data-testid="download-done">
          <p>
            {done.result === "ok" ? "Downloaded" : "The download failed:"} <strong>{done.file}</strong>
            {done.bytes !== null ? `, ${formatBytes(done.bytes)}` : ""}.
          </p>
          {done.sha256 ? (
            <p className="mt-1 [overflow-wrap:anywhere]">
              SHA-256 <code className="text-xs">{done.sha256}</code>
            </p>
          ) : null}
        </div>
      ) : null}
    </div>
  );
}
