// Browser side of POST /admin/storage/upload.
import type { DryRun } from "@/lib/admin/upload";

const AGE_MAGIC = "age-encryption.org/v1\n";

/** Whether the chosen file is an age-encrypted backup (it starts with age's header line). */
export async function isEncryptedBackup(file: File): Promise<boolean> {
  return (await file.slice(0, AGE_MAGIC.length).text()) === AGE_MAGIC;
}

/** The AGE-SECRET-KEY-1… line of a key file (age-keygen's output, or the key alone). */
export async function readAgeKey(keyFile: File): Promise<string> {
  if (keyFile.size > 64 * 1024) throw new Error("That key file is too large to be an age key file.");
  const key = (await keyFile.text())
    .split(/\r?\n/)
    .map((line) => line.trim())
    .find((line) => /^AGE-SECRET-KEY-1[0-9A-Z]{58}$/.test(line));
  if (!key) throw new Error("That key file holds no age private key (a line starting AGE-SECRET-KEY-1).");
  return key;
}

/**
 * Sends the file as the raw request body so a large backup streams to disk; XHR reports upload
 * progress. The key of an encrypted backup travels in a header, never in the URL.
 */
export function uploadFile(
  file: File,
  key: string | null,
  onProgress: (sent: number) => void,
  onSent: () => void,
): Promise<DryRun> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", "/admin/storage/upload");
    xhr.setRequestHeader("Content-Type", "application/octet-stream");
    xhr.setRequestHeader("X-File-Name", encodeURIComponent(file.name));
    if (key) xhr.setRequestHeader("X-Backup-Key", key);
    xhr.upload.onprogress = (e) => onProgress(e.loaded);
    xhr.upload.onload = onSent;
    xhr.onload = () => {
      let body: unknown;
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        return reject(new Error(`The server answered ${xhr.status}.`));
      }
      if (xhr.status === 200) resolve(body as DryRun);
      else reject(new Error((body as { error?: string }).error ?? `The server answered ${xhr.status}.`));
    };
    xhr.onerror = () => reject(new Error("The upload failed: the connection was lost."));
    xhr.send(file);
  });
}
