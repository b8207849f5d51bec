// The status route's replica part goes to an uptime monitor outside the lab: a fixed reason and
// sentence, never the error text Litestream gave (which can name the bucket, endpoint or key id).
import { describe, expect, it } from "vitest";

import { replicaBody } from "@/lib/offsite/http";
import { REPLICA_PROBLEMS, type ReplicaStatus } from "@/lib/offsite/replica/status";

const RAW = 'Get "https://planted-bucket.s3.example/?prefix=x": AKIAPLANTEDKEYID403 SignatureDoesNotMatch';

const status = (over: Partial<ReplicaStatus>): ReplicaStatus => ({
  destination: "s3://planted-bucket/replica",
  encrypted: false,
  state: "running",
  restarts: 0,
  lastExit: null,
  lastShippedAt: null,
  lagMs: null,
  maxLagMs: 60_000,
  window: null,
  problem: null,
  reason: null,
  ...over,
});

describe("the replica's part of the status route", () => {
  it("gives a fixed reason and sentence for a replica that cannot be read, without Litestream's words", () => {
    const body = replicaBody(status({ reason: "replica-unreachable", problem: `The replica cannot be read: ${RAW}` }))!;
    expect(body).toMatchObject({
      ok: false,
      reason: "replica-unreachable",
      problem: REPLICA_PROBLEMS["replica-unreachable"],
    });
    const json = JSON.stringify(body);
    for (const raw of ["planted-bucket", "AKIAPLANTEDKEYID", "SignatureDoesNotMatch"]) expect(json).not.toContain(raw);
  });

  it("is sound, with no reason, when replication is", () => {
    expect(replicaBody(status({}))).toMatchObject({ ok: true, reason: null, problem: null });
  });

  it("gives the replica's times and lag as a monitor reads them: ISO times, seconds to a tenth", () => {
    const body = replicaBody(
      status({
        state: "running",
        lastShippedAt: new Date("2026-12-05T10:00:00.250Z"),
        lagMs: 12_345,
        maxLagMs: 90_000,
        window: { from: new Date("2026-12-02T10:00:00Z"), to: new Date("2026-12-05T10:00:00.250Z") },
        reason: "replica-behind",
        problem: "Changes have waited 12 s.",
      }),
    );
    expect(body).toEqual({
      ok: false,
      state: "running",
      last_shipped_at: "2026-12-05T10:00:00.250Z",
      lag_seconds: 12.3,
      max_lag_seconds: 90,
      window_from: "2026-12-02T10:00:00.000Z",
      window_to: "2026-12-05T10:00:00.250Z",
      reason: "replica-behind",
      problem: REPLICA_PROBLEMS["replica-behind"],
    });
    expect(replicaBody(status({ lagMs: 49 }))!.lag_seconds).toBe(0);
    expect(replicaBody(status({ lagMs: 50 }))!.lag_seconds).toBe(0.1);
  });

  it("says null for what is not known yet, and nothing at all without a replica", () => {
    expect(replicaBody(status({ state: "off" }))).toEqual({
      ok: true,
      state: "off",
      last_shipped_at: null,
      lag_seconds: null,
      max_lag_seconds: 60,
      window_from: null,
      window_to: null,
      reason: null,
      problem: null,
    });
    expect(replicaBody(null)).toBeNull();
  });
});
