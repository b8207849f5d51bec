// Choice fields are plain strings in SQLite; these enums are the values the original app
// offers (ORIGINAL-MODELS.md), shared by the UI and the seed generator. Like Django, the
// database does not enforce them: a restore loads other values unchanged and lists them
// as notes, because the lab's real data holds such values.
import { z } from "zod";

export const Organization = z.enum(["", "montana", "uark", "vtech", "other"]);
export const Department = z.enum(["", "physics", "materials", "engineering", "chemistry", "other"]);
export const ProfileStatus = z.enum(["pending", "rejected", "approved"]);
export const SecurityQuestion = z.enum([
  "pet",
  "city",
  "school",
  "teacher",
  "food",
  "book",
  "childhood_friend",
  "street",
  "custom",
]);
export const ApiType = z.enum(["port5001", "quantum_design", "none"]);
export const BFieldDirection = z.enum(["parallel_perpendicular", "perpendicular", "parallel", "none"]);
export const RequiredBFieldDirection = z.enum(["", "parallel_perpendicular", "perpendicular", "parallel"]);
export const OpticalCapabilities = z.enum([
  "none",
  "available",
  "optical_not_working",
  "ice_mb_qb1",
  "under_construction",
  "with_work",
]);
export const MachineStatus = z.enum(["idle", "running", "cooldown", "maintenance"]);
export const QueueStatus = z.enum(["queued", "running", "completed", "cancelled"]);
export const MeasurementStatus = z.enum(["draft", "published", "completed", "cancelled", "archived", "orphaned"]);
export const NotificationType = z.enum([
  "preset_created",
  "preset_edited",
  "preset_deleted",
  "queue_added",
  "queue_moved",
  "queue_cancelled",
  "on_deck",
  "ready_for_check_in",
  "checkin_reminder",
  "checkout_reminder",
  "machine_status_changed",
  "admin_check_in",
  "admin_checkout",
  "admin_edit_entry",
  "admin_moved_entry",
  "account_approved",
  "account_unapproved",
  "account_promoted",
  "account_demoted",
  "account_info_changed",
  "admin_new_user",
  "admin_rush_job",
  "database_restored",
  "training_request",
  "training_approved",
  "training_rejected",
]);

/** Which Prisma fields hold which choice: model name → field name → enum. */
export const CHOICE_FIELDS: Record<string, Record<string, { options: readonly string[] }>> = {
  UserProfile: {
    organization: Organization,
    department: Department,
    status: ProfileStatus,
    securityQuestion: SecurityQuestion,
  },
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
