// The database-backups branch (written by scripts/weekly-backup.sh), read through GitHub's
// REST API. Read-only: the weekly job owns the branch. Endpoints used (API version 2022-11-28):
//   GET /repos/{owner}/{repo}/contents/backups?ref={branch}          the directory listing (JSON)
//   GET /repos/{owner}/{repo}/contents/backups/{name}?ref={branch}   one file, with
//       Accept: application/vnd.github.raw+json (raw bytes; files up to 100 MB)
// A backup's SHA-256 is the `.sha256` file beside it; the job commits only verified backups.
import path from "node:path";
import { Readable } from "node:stream";

import { providerTimeoutMs, type GitHubSettings } from "@/lib/config";
import {
  backupNameDate,
  newestFirst,
  TargetError,
  type OffsiteBackup,
  type OffsiteTarget,
} from "@/lib/offsite/targets/target";

interface ContentEntry {
  type: string;
  name: string;
  path: string;
  size: number;
}

const FOLDER = "backups";

export function githubTarget(settings: GitHubSettings): OffsiteTarget {
  const label = `github.com/${settings.repo} (${settings.branch})`;

  /**
   * Every request gets the provider timeout to answer, body included; a backup's download
   * (`stream`) only to start, its body may then take as long as it needs.
   */
  async function get(file: string, raw: boolean, stream = false): Promise<Response> {
    const answered = new AbortController();
    const timer = setTimeout(() => answered.abort(new Error("timeout")), providerTimeoutMs());
    try {
      const res = await request(file, raw, answered.signal);
      if (stream) return res;
      // A listing or a .sha256 file is small: read whole under the same timeout.
      return new Response(await res.arrayBuffer(), { status: res.status, headers: res.headers });
    } catch (error) {
      if (answered.signal.aborted) {
        throw new TargetError(
          `${label} is not answering (no reply in ${Math.round(providerTimeoutMs() / 1000)} s). Try again later.`,
        );
      }
      throw error;
    } finally {
      clearTimeout(timer);
    }
  }

  async function request(file: string, raw: boolean, signal: AbortSignal): Promise<Response> {
    const url = `${settings.apiUrl}/repos/${settings.repo}/contents/${file.split("/").map(encodeURIComponent).join("/")}?ref=${encodeURIComponent(settings.branch)}`;
    let res: Response;
    try {
      res = await fetch(url, {
        headers: {
          Accept: raw ? "application/vnd.github.raw+json" : "application/vnd.github+json",
          Authorization: `Bearer ${settings.token}`,
          "X-GitHub-Api-Version": "2022-11-28",
          "User-Agent": "lab-queue-admin",
        },
        signal,
      });
    } catch (error) {
      if (signal.aborted) throw error;
      const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).message;
      throw new TargetError(`Could not reach GitHub's API for ${label} (${cause}).`);
    }
    if (res.ok) return res;
    await res.body?.cancel();
    if (res.status === 401) throw new TargetError(`GitHub refused GITHUB_TOKEN (401) for ${label}.`);
    if (res.status === 403 || res.status === 429) {
      throw new TargetError(
        `GitHub refused the request (${res.status}: rate limit or missing permission) for ${label}.`,
      );
    }
    if (res.status === 404) {
      throw new TargetError(`GitHub has no ${file} in ${label}, or GITHUB_TOKEN cannot see the repository.`, true);
    }
    throw new TargetError(`GitHub answered ${res.status} for ${file} in ${label}.`);
  }

  /**
   * The SHA-256 in the `.sha256` file beside `name`; null when there is no such file. Anything
   * else (GitHub not answering, refusing, a file that holds no SHA-256) is an error: a restore
   * compares the bytes with this, and must not go ahead unchecked because a read failed.
   */
  async function sha256Of(name: string): Promise<string | null> {
    let text: string;
    try {
      text = await (await get(`${FOLDER}/${name}.sha256`, true)).text();
    } catch (error) {
      if (error instanceof TargetError && error.missing) return null;
      throw error;
    }
    const hex = /^([0-9a-f]{64})\s/.exec(text)?.[1];
    if (!hex) throw new TargetError(`${name}.sha256 in ${label} holds no SHA-256, so ${name} cannot be checked.`);
    return hex;
  }

  /** For the listing: a backup whose SHA-256 cannot be read now lists as having none. */
  const listedSha256 = (name: string) => sha256Of(name).catch(() => null);

  return {
    kind: "github",
    label,
    writable: false,
    async list() {
      const entries = (await (await get(FOLDER, false)).json()) as ContentEntry[];
      if (!Array.isArray(entries)) throw new TargetError(`GitHub's listing of ${FOLDER}/ in ${label} is not a folder.`);
      const dated = entries.filter((e) => e.type === "file" && backupNameDate(e.name));
      const backups = await Promise.all(
        dated.map(async (e): Promise<OffsiteBackup> => {
          const sha256 = await listedSha256(e.name);
          return {
            target: "github",
            key: e.path,
            name: e.name,
            bytes: e.size,
            date: backupNameDate(e.name)!,
            sha256,
            verified: sha256 !== null,
          };
        }),
      );
      return backups.sort(newestFirst);
    },
    async read(key) {
      if (path.posix.dirname(key) !== FOLDER || !backupNameDate(path.posix.basename(key))) {
        throw new TargetError(`There is no backup called ${key} in ${label}.`, true);
      }
      const res = await get(key, true, true);
      return Readable.fromWeb(res.body as never);
    },
    recordedSha256: (key) => sha256Of(path.posix.basename(key)),
    async write() {
      throw new TargetError(`${label} is written by the weekly workflow only; the app reads it.`);
    },
    async remove() {
      throw new TargetError(`${label} is written by the weekly workflow only; the app reads it.`);
    },
  };
}
