// Manage Storage's "Last push to cloud": a push that stored its copy but could not delete old
// backups (an append-only key) is neither "done" nor "failed": the copy counts, and the store
// keeps growing until someone acts.
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";

import { OffsitePanel } from "@/components/storage/OffsitePanel";
import type { OffsiteSetup } from "@/lib/admin/offsite-setup";
import type { OffsiteStatus, Outcome } from "@/lib/offsite/watch";

const at = new Date("2026-12-05T10:00:00Z");

function lastPushText(lastPush: Outcome): string {
  const status: OffsiteStatus = {
    level: "ok",
    lastBackupAt: at,
    ageHours: 1,
    maxAgeHours: 26,
    lastDrill: null,
    lastPush,
  };
  const html = renderToStaticMarkup(
    createElement(OffsitePanel, { status, setup: { exportKey: true } as OffsiteSetup }),
  );
  const cell = /data-testid="last-push">([\s\S]*?)<\/dd>/.exec(html)![1]!;
  return cell
    .replace(/<[^>]+>/g, " ")
    .replace(/\s+/g, " ")
    .trim();
}

describe("the last push to the cloud", () => {
  it("is done, or failed with why", () => {
    expect(lastPushText({ at, ok: true, detail: "100 records", warning: null })).toMatch(/ done$/);
    expect(lastPushText({ at, ok: false, detail: "disk full", warning: null })).toMatch(/ failed disk full$/);
  });

  it("is stored with old ones kept when old backups were not deleted, saying why and what it means", () => {
    const text = lastPushText({
      at,
      ok: true,
      detail: "…",
      warning: "Old backups were not deleted: Could not delete database_backup_2026-11-02_00-00-00.json.gz: refused",
    });
    expect(text).toMatch(
      / stored, old ones kept Old backups were not deleted: Could not delete database_backup_2026-11-02_00-00-00\.json\.gz: refused\. The new backup is stored and counts; until old ones are deleted \(by hand, or by a key that may\), the store keeps growing\.$/,
    );
    expect(text).not.toMatch(/ done /);
  });
});
