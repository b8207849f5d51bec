// The off-site targets this server is configured for, and `s3://bucket/key` sources.
import { githubSettings, s3Settings } from "@/lib/config";
import { githubTarget } from "@/lib/offsite/targets/github";
import { s3Target } from "@/lib/offsite/targets/s3";
import { TargetError, type OffsiteTarget, type TargetKind } from "@/lib/offsite/targets/target";

export function configuredTargets(): OffsiteTarget[] {
  const targets: OffsiteTarget[] = [];
  const s3 = s3Settings();
  if (s3) targets.push(s3Target(s3));
  const github = githubSettings();
  if (github) targets.push(githubTarget(github));
  return targets;
}

export function targetOf(kind: TargetKind): OffsiteTarget {
  const target = configuredTargets().find((t) => t.kind === kind);
  if (!target) throw new TargetError(`No ${kind === "s3" ? "S3" : "GitHub"} target is configured on this server.`);
  return target;
}

/** The S3 push target, or a clear error naming what to set. */
export function pushTarget(): OffsiteTarget {
  const s3 = s3Settings();
  if (!s3) {
    throw new TargetError(
      "No S3 target is configured: set BACKUP_S3_URL=s3://bucket/prefix (and BACKUP_S3_ENDPOINT for stores other than AWS).",
    );
  }
  return s3Target(s3);
}
