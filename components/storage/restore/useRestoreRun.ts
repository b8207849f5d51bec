"use client";

import { useCallback, useRef, useState } from "react";

import type { RestoreActionResult } from "@/lib/admin/storage-actions";

interface Progress {
  phase: string;
  value: number | null;
}

/** Runs a restore action while polling the server for its phase and progress. */
export function useRestoreRun() {
  const [progress, setProgress] = useState<Progress | null>(null);
  const [result, setResult] = useState<RestoreActionResult | null>(null);
  const timer = useRef<ReturnType<typeof setInterval>>(undefined);

  const run = useCallback(async (action: () => Promise<RestoreActionResult>): Promise<RestoreActionResult> => {
    setResult(null);
    setProgress({ phase: "starting", value: 0 });
    timer.current = setInterval(async () => {
      try {
        const res = await fetch("/admin/storage/status", { cache: "no-store" });
        const state = (await res.json()) as { running: boolean; phase?: string; progress?: number | null };
        if (state.running && state.phase) setProgress({ phase: state.phase, value: state.progress ?? null });
      } catch {
        // A missed poll only delays the bar.
      }
    }, 400);
    let outcome: RestoreActionResult;
    try {
      outcome = await action();
    } catch (error) {
      outcome = { ok: false, error: `The restore request failed: ${(error as Error).message}` };
    }
    try {
      setResult(outcome);
      return outcome;
    } finally {
      clearInterval(timer.current);
      setProgress(null);
    }
  }, []);

  return { progress, result, run, reset: () => setResult(null) };
}

/** Re-render the page with the new data, unless the restore ended this session (the page would redirect away from the report). */
export function shouldRefreshAfter(result: RestoreActionResult): boolean {
  return !(result.ok && result.signInAgain);
}
