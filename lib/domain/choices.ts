// Choice fields are plain strings in SQLite; these enums are their one definition,
// shared by the UI, the seed generator and backup validation.
import { z } from "zod";

export const ApiType = z.enum(["port5001", "quantum_design", "none"]);
export const BFieldDirection = z.enum(["parallel_perpendicular", "perpendicular", "parallel", "none"]);
export const RequiredBFieldDirection = z.enum(["", "parallel_perpendicular", "perpendicular", "parallel"]);
export const OpticalCapabilities = z.enum(["none", "available", "with_work", "under_construction"]);
export const MachineStatus = z.enum(["idle", "running", "cooldown", "maintenance"]);
export const QueueStatus = z.enum(["queued", "running", "completed", "cancelled"]);
export const MeasurementStatus = z.enum(["draft", "published", "completed", "cancelled", "archived", "orphaned"]);
export const NotificationType = z.enum([
  "preset_created", "preset_edited", "preset_deleted",
  "queue_added", "queue_moved", "queue_cancelled", "on_deck", "ready_for_check_in",
  "checkin_reminder", "checkout_reminder", "machine_status_changed",
  "admin_check_in", "admin_checkout", "admin_edit_entry", "admin_moved_entry",
  "account_approved", "account_unapproved", "account_promoted", "account_demoted",
  "account_info_changed", "admin_new_user", "admin_rush_job", "database_restored",
]);

/** Which Prisma fields hold which choice: model name → field name → enum. */
export const CHOICE_FIELDS: Record<string, Record<string, { options: readonly string[] }>> = {
  Machine: {
    apiType: ApiType,
    bFieldDirection: BFieldDirection,
    opticalCapabilities: OpticalCapabilities,
    currentStatus: MachineStatus,
  },
  QueuePreset: { requiredBFieldDirection: RequiredBFieldDirection },
  QueueEntry: { requiredBFieldDirection: RequiredBFieldDirection, status: QueueStatus },
  ArchivedMeasurement: { status: MeasurementStatus },
  Notification: { notificationType: NotificationType },
};
