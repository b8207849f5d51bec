-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_userRegistration_userprofile" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "user_id" INTEGER NOT NULL,
    "phone_number" TEXT NOT NULL DEFAULT '',
    "organization" TEXT NOT NULL DEFAULT '',
    "organization_other" TEXT NOT NULL DEFAULT '',
    "department" TEXT NOT NULL DEFAULT '',
    "department_other" TEXT NOT NULL DEFAULT '',
    "notes" TEXT NOT NULL DEFAULT '',
    "status" TEXT NOT NULL DEFAULT 'pending',
    "is_approved" BOOLEAN NOT NULL DEFAULT false,
    "approved_by_id" INTEGER,
    "approved_at" DATETIME,
    "slack_member_id" TEXT NOT NULL DEFAULT '',
    "security_question" TEXT NOT NULL DEFAULT '',
    "security_question_custom" TEXT NOT NULL DEFAULT '',
    "security_answer_hash" TEXT NOT NULL DEFAULT '',
    "is_developer" BOOLEAN NOT NULL DEFAULT false,
    "developer_promoted_by_id" INTEGER,
    "developer_promoted_at" DATETIME,
    "is_lab_manager" BOOLEAN NOT NULL DEFAULT false,
    "lab_manager_promoted_by_id" INTEGER,
    "lab_manager_promoted_at" DATETIME,
    "ln2_trained" BOOLEAN NOT NULL DEFAULT false,
    "ln2_training_date" DATETIME,
    "quantify_trained" BOOLEAN NOT NULL DEFAULT false,
    "quantify_training_date" DATETIME,
    "last_login_ip" TEXT NOT NULL DEFAULT '',
    "last_login_browser" TEXT NOT NULL DEFAULT '',
    "last_login_os" TEXT NOT NULL DEFAULT '',
    "last_login_device" TEXT NOT NULL DEFAULT '',
    "created_at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" DATETIME NOT NULL,
    CONSTRAINT "userRegistration_userprofile_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "auth_user" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "userRegistration_userprofile_approved_by_id_fkey" FOREIGN KEY ("approved_by_id") REFERENCES "auth_user" ("id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "userRegistration_userprofile_developer_promoted_by_id_fkey" FOREIGN KEY ("developer_promoted_by_id") REFERENCES "auth_user" ("id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "userRegistration_userprofile_lab_manager_promoted_by_id_fkey" FOREIGN KEY ("lab_manager_promoted_by_id") REFERENCES "auth_user" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);
-- Profiles had no updated_at: their last change is not known, so it starts at their creation.
INSERT INTO "new_userRegistration_userprofile" ("approved_at", "approved_by_id", "created_at", "department", "id", "is_approved", "phone_number", "user_id", "updated_at") SELECT "approved_at", "approved_by_id", "created_at", "department", "id", "is_approved", "phone_number", "user_id", "created_at" FROM "userRegistration_userprofile";
DROP TABLE "userRegistration_userprofile";
ALTER TABLE "new_userRegistration_userprofile" RENAME TO "userRegistration_userprofile";
CREATE UNIQUE INDEX "userRegistration_userprofile_user_id_key" ON "userRegistration_userprofile"("user_id");
CREATE INDEX "userRegistration_userprofile_approved_by_id_idx" ON "userRegistration_userprofile"("approved_by_id");
CREATE INDEX "userRegistration_userprofile_developer_promoted_by_id_idx" ON "userRegistration_userprofile"("developer_promoted_by_id");
CREATE INDEX "userRegistration_userprofile_lab_manager_promoted_by_id_idx" ON "userRegistration_userprofile"("lab_manager_promoted_by_id");
CREATE TABLE "new_calendarEditor_machine" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "name" TEXT NOT NULL,
    "ip_address" TEXT NOT NULL DEFAULT '',
    "api_type" TEXT NOT NULL DEFAULT 'none',
    "api_port" INTEGER,
    "cached_temperature" REAL,
    "cached_online" BOOLEAN NOT NULL DEFAULT true,
    "last_temp_update" DATETIME,
    "min_temp" REAL NOT NULL,
    "max_temp" REAL NOT NULL,
    "b_field_x" REAL NOT NULL DEFAULT 0,
    "b_field_y" REAL NOT NULL DEFAULT 0,
    "b_field_z" REAL NOT NULL DEFAULT 0,
    "b_field_direction" TEXT NOT NULL DEFAULT 'none',
    "dc_lines" INTEGER NOT NULL DEFAULT 0,
    "rf_lines" INTEGER NOT NULL DEFAULT 0,
    "daughterboard_type" TEXT NOT NULL DEFAULT '',
    "optical_capabilities" TEXT NOT NULL DEFAULT 'none',
    "cooldown_hours" INTEGER NOT NULL,
    "warmup_hours" INTEGER NOT NULL DEFAULT 0,
    "current_status" TEXT NOT NULL DEFAULT 'idle',
    "is_available" BOOLEAN NOT NULL DEFAULT true,
    "current_user_id" INTEGER,
    "estimated_available_time" DATETIME,
    "description" TEXT NOT NULL DEFAULT '',
    "location" TEXT NOT NULL DEFAULT '',
    "created_at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" DATETIME NOT NULL,
    CONSTRAINT "calendarEditor_machine_current_user_id_fkey" FOREIGN KEY ("current_user_id") REFERENCES "auth_user" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);
INSERT INTO "new_calendarEditor_machine" ("api_port", "api_type", "b_field_direction", "b_field_x", "b_field_y", "b_field_z", "cached_online", "cached_temperature", "cooldown_hours", "created_at", "current_status", "current_user_id", "daughterboard_type", "dc_lines", "description", "estimated_available_time", "id", "ip_address", "is_available", "last_temp_update", "location", "max_temp", "min_temp", "name", "optical_capabilities", "rf_lines", "updated_at") SELECT "api_port", "api_type", "b_field_direction", "b_field_x", "b_field_y", "b_field_z", "cached_online", "cached_temperature", "cooldown_hours", "created_at", "current_status", "current_user_id", "daughterboard_type", "dc_lines", "description", "estimated_available_time", "id", "ip_address", "is_available", "last_temp_update", "location", "max_temp", "min_temp", "name", "optical_capabilities", "rf_lines", "updated_at" FROM "calendarEditor_machine";
DROP TABLE "calendarEditor_machine";
ALTER TABLE "new_calendarEditor_machine" RENAME TO "calendarEditor_machine";
CREATE UNIQUE INDEX "calendarEditor_machine_name_key" ON "calendarEditor_machine"("name");
CREATE INDEX "calendarEditor_machine_current_user_id_idx" ON "calendarEditor_machine"("current_user_id");
CREATE TABLE "new_calendarEditor_queuepreset" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "name" TEXT NOT NULL,
    "display_name" TEXT NOT NULL,
    "creator_id" INTEGER,
    "creator_username" TEXT NOT NULL DEFAULT 'unknown',
    "is_public" BOOLEAN NOT NULL DEFAULT false,
    "last_edited_by_id" INTEGER,
    "last_edited_at" DATETIME NOT NULL,
    "created_at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "title" TEXT NOT NULL DEFAULT '',
    "description" TEXT NOT NULL DEFAULT '',
    "requested_measurement_days" INTEGER NOT NULL DEFAULT 2,
    "required_min_temp" REAL,
    "required_max_temp" REAL,
    "required_b_field_x" REAL NOT NULL DEFAULT 0,
    "required_b_field_y" REAL NOT NULL DEFAULT 0,
    "required_b_field_z" REAL NOT NULL DEFAULT 0,
    "required_b_field_direction" TEXT NOT NULL DEFAULT '',
    "required_dc_lines" INTEGER NOT NULL DEFAULT 0,
    "required_rf_lines" INTEGER NOT NULL DEFAULT 0,
    "required_daughterboard" TEXT NOT NULL DEFAULT '',
    "requires_optical" BOOLEAN NOT NULL DEFAULT false,
    "selected_optical_machine_id" INTEGER,
    "requires_temp_dependence" BOOLEAN NOT NULL DEFAULT false,
    "estimated_duration_hours" REAL,
    CONSTRAINT "calendarEditor_queuepreset_creator_id_fkey" FOREIGN KEY ("creator_id") REFERENCES "auth_user" ("id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "calendarEditor_queuepreset_last_edited_by_id_fkey" FOREIGN KEY ("last_edited_by_id") REFERENCES "auth_user" ("id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "calendarEditor_queuepreset_selected_optical_machine_id_fkey" FOREIGN KEY ("selected_optical_machine_id") REFERENCES "calendarEditor_machine" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);
INSERT INTO "new_calendarEditor_queuepreset" ("created_at", "creator_id", "creator_username", "description", "display_name", "estimated_duration_hours", "id", "is_public", "last_edited_at", "last_edited_by_id", "name", "required_b_field_direction", "required_b_field_x", "required_b_field_y", "required_b_field_z", "required_daughterboard", "required_dc_lines", "required_max_temp", "required_min_temp", "required_rf_lines", "requires_optical", "title") SELECT "created_at", "creator_id", "creator_username", "description", "display_name", "estimated_duration_hours", "id", "is_public", "last_edited_at", "last_edited_by_id", "name", "required_b_field_direction", "required_b_field_x", "required_b_field_y", "required_b_field_z", "required_daughterboard", "required_dc_lines", "required_max_temp", "required_min_temp", "required_rf_lines", "requires_optical", "title" FROM "calendarEditor_queuepreset";
DROP TABLE "calendarEditor_queuepreset";
ALTER TABLE "new_calendarEditor_queuepreset" RENAME TO "calendarEditor_queuepreset";
CREATE INDEX "calendarEditor_queuepreset_creator_id_idx" ON "calendarEditor_queuepreset"("creator_id");
CREATE INDEX "calendarEditor_queuepreset_last_edited_by_id_idx" ON "calendarEditor_queuepreset"("last_edited_by_id");
CREATE INDEX "calendarEditor_queuepreset_selected_optical_machine_id_idx" ON "calendarEditor_queuepreset"("selected_optical_machine_id");
CREATE TABLE "new_calendarEditor_queueentry" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "user_id" INTEGER NOT NULL,
    "title" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "required_min_temp" REAL NOT NULL,
    "required_max_temp" REAL,
    "required_b_field_x" REAL NOT NULL DEFAULT 0,
    "required_b_field_y" REAL NOT NULL DEFAULT 0,
    "required_b_field_z" REAL NOT NULL DEFAULT 0,
    "required_b_field_direction" TEXT NOT NULL DEFAULT '',
    "required_dc_lines" INTEGER NOT NULL DEFAULT 0,
    "required_rf_lines" INTEGER NOT NULL DEFAULT 0,
    "required_daughterboard" TEXT NOT NULL DEFAULT '',
    "requires_optical" BOOLEAN NOT NULL DEFAULT false,
    "requires_temp_dependence" BOOLEAN NOT NULL DEFAULT false,
    "estimated_duration_hours" REAL NOT NULL,
    "requested_measurement_days" INTEGER NOT NULL DEFAULT 2,
    "priority" INTEGER NOT NULL DEFAULT 0,
    "assigned_machine_id" INTEGER,
    "machine_name_text" TEXT NOT NULL DEFAULT '',
    "queue_position" INTEGER,
    "status" TEXT NOT NULL DEFAULT 'queued',
    "submitted_at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "started_at" DATETIME,
    "completed_at" DATETIME,
    "estimated_start_time" DATETIME,
    "reminder_due_at" DATETIME,
    "last_reminder_sent_at" DATETIME,
    "reminder_snoozed_until" DATETIME,
    "checkin_reminder_due_at" DATETIME,
    "last_checkin_reminder_sent_at" DATETIME,
    "checkin_reminder_snoozed_until" DATETIME,
    "special_requirements" TEXT NOT NULL DEFAULT '',
    "is_rush_job" BOOLEAN NOT NULL DEFAULT false,
    "rush_job_submitted_at" DATETIME,
    "created_at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" DATETIME NOT NULL,
    CONSTRAINT "calendarEditor_queueentry_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "auth_user" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "calendarEditor_queueentry_assigned_machine_id_fkey" FOREIGN KEY ("assigned_machine_id") REFERENCES "calendarEditor_machine" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);
INSERT INTO "new_calendarEditor_queueentry" ("assigned_machine_id", "checkin_reminder_due_at", "checkin_reminder_snoozed_until", "completed_at", "created_at", "description", "estimated_duration_hours", "estimated_start_time", "id", "is_rush_job", "last_checkin_reminder_sent_at", "last_reminder_sent_at", "machine_name_text", "priority", "queue_position", "reminder_due_at", "reminder_snoozed_until", "required_b_field_direction", "required_b_field_x", "required_b_field_y", "required_b_field_z", "required_daughterboard", "required_dc_lines", "required_max_temp", "required_min_temp", "required_rf_lines", "requires_optical", "rush_job_submitted_at", "special_requirements", "started_at", "status", "submitted_at", "title", "updated_at", "user_id") SELECT "assigned_machine_id", "checkin_reminder_due_at", "checkin_reminder_snoozed_until", "completed_at", "created_at", "description", "estimated_duration_hours", "estimated_start_time", "id", "is_rush_job", "last_checkin_reminder_sent_at", "last_reminder_sent_at", "machine_name_text", "priority", "queue_position", "reminder_due_at", "reminder_snoozed_until", "required_b_field_direction", "required_b_field_x", "required_b_field_y", "required_b_field_z", "required_daughterboard", "required_dc_lines", "required_max_temp", "required_min_temp", "required_rf_lines", "requires_optical", "rush_job_submitted_at", "special_requirements", "started_at", "status", "submitted_at", "title", "updated_at", "user_id" FROM "calendarEditor_queueentry";
DROP TABLE "calendarEditor_queueentry";
ALTER TABLE "new_calendarEditor_queueentry" RENAME TO "calendarEditor_queueentry";
CREATE INDEX "calendarEditor_queueentry_assigned_machine_id_queue_position_submitted_at_idx" ON "calendarEditor_queueentry"("assigned_machine_id", "queue_position", "submitted_at");
CREATE INDEX "calendarEditor_queueentry_user_id_idx" ON "calendarEditor_queueentry"("user_id");
CREATE INDEX "calendarEditor_queueentry_status_idx" ON "calendarEditor_queueentry"("status");
CREATE TABLE "new_calendarEditor_notificationpreference" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "user_id" INTEGER NOT NULL,
    "notify_public_preset_created" BOOLEAN NOT NULL DEFAULT false,
    "notify_public_preset_edited" BOOLEAN NOT NULL DEFAULT false,
    "notify_public_preset_deleted" BOOLEAN NOT NULL DEFAULT false,
    "notify_private_preset_edited" BOOLEAN NOT NULL DEFAULT true,
    "notify_followed_preset_edited" BOOLEAN NOT NULL DEFAULT false,
    "notify_followed_preset_deleted" BOOLEAN NOT NULL DEFAULT false,
    "notify_queue_added" BOOLEAN NOT NULL DEFAULT true,
    "notify_queue_position_change" BOOLEAN NOT NULL DEFAULT true,
    "notify_queue_cancelled" BOOLEAN NOT NULL DEFAULT true,
    "notify_on_deck" BOOLEAN NOT NULL DEFAULT true,
    "notify_ready_for_check_in" BOOLEAN NOT NULL DEFAULT true,
    "notify_checkin_reminder" BOOLEAN NOT NULL DEFAULT true,
    "notify_checkout_reminder" BOOLEAN NOT NULL DEFAULT true,
    "notify_machine_queue_changes" BOOLEAN NOT NULL DEFAULT false,
    "notify_admin_check_in" BOOLEAN NOT NULL DEFAULT true,
    "notify_admin_checkout" BOOLEAN NOT NULL DEFAULT true,
    "notify_admin_edit_entry" BOOLEAN NOT NULL DEFAULT true,
    "notify_admin_moved_entry" BOOLEAN NOT NULL DEFAULT true,
    "notify_machine_status_change" BOOLEAN NOT NULL DEFAULT true,
    "notify_appeal_approved" BOOLEAN NOT NULL DEFAULT true,
    "notify_appeal_rejected" BOOLEAN NOT NULL DEFAULT true,
    "notify_appeal_response" BOOLEAN NOT NULL DEFAULT true,
    "notify_account_approved" BOOLEAN NOT NULL DEFAULT true,
    "notify_account_unapproved" BOOLEAN NOT NULL DEFAULT true,
    "notify_account_promoted" BOOLEAN NOT NULL DEFAULT true,
    "notify_account_demoted" BOOLEAN NOT NULL DEFAULT true,
    "notify_account_info_changed" BOOLEAN NOT NULL DEFAULT true,
    "notify_admin_new_user" BOOLEAN NOT NULL DEFAULT true,
    "notify_admin_rush_job" BOOLEAN NOT NULL DEFAULT true,
    "notify_database_restored" BOOLEAN NOT NULL DEFAULT true,
    "notify_developer_feedback" BOOLEAN NOT NULL DEFAULT true,
    "notify_training_request" BOOLEAN NOT NULL DEFAULT true,
    "email_notifications" BOOLEAN NOT NULL DEFAULT true,
    "in_app_notifications" BOOLEAN NOT NULL DEFAULT true,
    "slack_notifications" BOOLEAN NOT NULL DEFAULT true,
    "created_at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" DATETIME NOT NULL,
    CONSTRAINT "calendarEditor_notificationpreference_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "auth_user" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_calendarEditor_notificationpreference" ("created_at", "email_notifications", "id", "in_app_notifications", "notify_account_approved", "notify_account_demoted", "notify_account_info_changed", "notify_account_promoted", "notify_account_unapproved", "notify_admin_check_in", "notify_admin_checkout", "notify_admin_edit_entry", "notify_admin_moved_entry", "notify_admin_new_user", "notify_admin_rush_job", "notify_checkin_reminder", "notify_checkout_reminder", "notify_database_restored", "notify_followed_preset_deleted", "notify_followed_preset_edited", "notify_machine_queue_changes", "notify_machine_status_change", "notify_on_deck", "notify_private_preset_edited", "notify_public_preset_created", "notify_public_preset_deleted", "notify_public_preset_edited", "notify_queue_added", "notify_queue_cancelled", "notify_queue_position_change", "notify_ready_for_check_in", "updated_at", "user_id") SELECT "created_at", "email_notifications", "id", "in_app_notifications", "notify_account_approved", "notify_account_demoted", "notify_account_info_changed", "notify_account_promoted", "notify_account_unapproved", "notify_admin_check_in", "notify_admin_checkout", "notify_admin_edit_entry", "notify_admin_moved_entry", "notify_admin_new_user", "notify_admin_rush_job", "notify_checkin_reminder", "notify_checkout_reminder", "notify_database_restored", "notify_followed_preset_deleted", "notify_followed_preset_edited", "notify_machine_queue_changes", "notify_machine_status_change", "notify_on_deck", "notify_private_preset_edited", "notify_public_preset_created", "notify_public_preset_deleted", "notify_public_preset_edited", "notify_queue_added", "notify_queue_cancelled", "notify_queue_position_change", "notify_ready_for_check_in", "updated_at", "user_id" FROM "calendarEditor_notificationpreference";
DROP TABLE "calendarEditor_notificationpreference";
ALTER TABLE "new_calendarEditor_notificationpreference" RENAME TO "calendarEditor_notificationpreference";
CREATE UNIQUE INDEX "calendarEditor_notificationpreference_user_id_key" ON "calendarEditor_notificationpreference"("user_id");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

