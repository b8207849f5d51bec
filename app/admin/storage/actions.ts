"use server";

import { fetchCloudBackupForRestore } from "@/lib/admin/cloud";
import { fetchReplicaForRestore } from "@/lib/admin/replica";
import { previewRollbackToSnapshot } from "@/lib/admin/safety-snapshots";
import { liftAddressLock } from "@/lib/admin/sign-in-locks";
import {
  checkSignInAs,
  clearArchivedMeasurements,
  discardUploadedFile,
  previewMergeOfUpload,
  restoreUpload,
  rollbackToSnapshot,
} from "@/lib/admin/storage-actions";

export async function restoreUploadAction(input: unknown) {
  return restoreUpload(input);
}

export async function rollbackAction(input: unknown) {
  return rollbackToSnapshot(input);
}

export async function previewRollbackAction(input: unknown) {
  return previewRollbackToSnapshot(input);
}

export async function discardUploadAction(input: unknown) {
  return discardUploadedFile(input);
}

export async function clearArchiveAction(input: unknown) {
  return clearArchivedMeasurements(input);
}

export async function restoreFromCloudAction(input: unknown) {
  return fetchCloudBackupForRestore(input);
}

export async function restoreFromReplicaAction(input: unknown) {
  return fetchReplicaForRestore(input);
}

export async function previewMergeAction(input: unknown) {
  return previewMergeOfUpload(input);
}

export async function checkSignInAsAction(input: unknown) {
  return checkSignInAs(input);
}

export async function liftAddressLockAction(input: unknown) {
  return liftAddressLock(input);
}
