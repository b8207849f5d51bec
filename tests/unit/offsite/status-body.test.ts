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
});
