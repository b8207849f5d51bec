-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateTable
CREATE TABLE "auth_user" (
    "id" SERIAL NOT NULL,
    "username" TEXT NOT NULL,
    "password" TEXT NOT NULL,
    "email" TEXT NOT NULL DEFAULT '',
    "first_name" TEXT NOT NULL DEFAULT '',
    "last_name" TEXT NOT NULL DEFAULT '',
    "is_staff" BOOLEAN NOT NULL DEFAULT false,
    "is_superuser" BOOLEAN NOT NULL DEFAULT false,
    "is_active" BOOLEAN NOT NULL DEFAULT true,
    "date_joined" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_login" TIMESTAMPTZ(6),

    CONSTRAINT "auth_user_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "userRegistration_userprofile" (
    "id" SERIAL NOT NULL,
    "user_id" INTEGER NOT NULL,
    "is_approved" BOOLEAN NOT NULL DEFAULT false,
    "approved_at" TIMESTAMPTZ(6),
    "approved_by_id" INTEGER,
    "phone_number" TEXT NOT NULL DEFAULT '',
    "department" TEXT NOT NULL DEFAULT '',
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "userRegistration_userprofile_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "calendarEditor_machine" (
    "id" SERIAL NOT NULL,
    "name" TEXT NOT NULL,
    "ip_address" TEXT NOT NULL DEFAULT '',
    "api_type" TEXT NOT NULL DEFAULT 'none',
    "api_port" INTEGER,
    "cached_temperature" DOUBLE PRECISION,
    "cached_online" BOOLEAN NOT NULL DEFAULT true,
    "last_temp_update" TIMESTAMPTZ(6),
    "min_temp" DOUBLE PRECISION NOT NULL,
    "max_temp" DOUBLE PRECISION NOT NULL,
    "b_field_x" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "b_field_y" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "b_field_z" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "b_field_direction" TEXT NOT NULL DEFAULT 'none',
    "dc_lines" INTEGER NOT NULL DEFAULT 0,
    "rf_lines" INTEGER NOT NULL DEFAULT 0,
    "daughterboard_type" TEXT NOT NULL DEFAULT '',
    "optical_capabilities" TEXT NOT NULL DEFAULT 'none',
    "cooldown_hours" INTEGER NOT NULL,
    "current_status" TEXT NOT NULL DEFAULT 'idle',
    "is_available" BOOLEAN NOT NULL DEFAULT true,
    "current_user_id" INTEGER,
    "estimated_available_time" TIMESTAMPTZ(6),
    "description" TEXT NOT NULL DEFAULT '',
    "location" TEXT NOT NULL DEFAULT '',
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(6) NOT NULL,

    CONSTRAINT "calendarEditor_machine_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "calendarEditor_queuepreset" (
    "id" SERIAL NOT NULL,
    "name" TEXT NOT NULL,
    "display_name" TEXT NOT NULL,
    "creator_id" INTEGER,
    "creator_username" TEXT NOT NULL DEFAULT 'unknown',
    "is_public" BOOLEAN NOT NULL DEFAULT false,
    "last_edited_by_id" INTEGER,
    "last_edited_at" TIMESTAMPTZ(6) NOT NULL,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "title" TEXT NOT NULL DEFAULT '',
    "description" TEXT NOT NULL DEFAULT '',
    "required_min_temp" DOUBLE PRECISION,
    "required_max_temp" DOUBLE PRECISION,
    "required_b_field_x" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "required_b_field_y" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "required_b_field_z" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "required_b_field_direction" TEXT NOT NULL DEFAULT '',
    "required_dc_lines" INTEGER NOT NULL DEFAULT 0,
    "required_rf_lines" INTEGER NOT NULL DEFAULT 0,
    "required_daughterboard" TEXT NOT NULL DEFAULT '',
    "requires_optical" BOOLEAN NOT NULL DEFAULT false,
    "estimated_duration_hours" DOUBLE PRECISION,

    CONSTRAINT "calendarEditor_queuepreset_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "calendarEditor_queueentry" (
    "id" SERIAL NOT NULL,
    "user_id" INTEGER NOT NULL,
    "title" TEXT NOT NULL,
    "description" TEXT NOT NULL,
    "required_min_temp" DOUBLE PRECISION NOT NULL,
    "required_max_temp" DOUBLE PRECISION,
    "required_b_field_x" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "required_b_field_y" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "required_b_field_z" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "required_b_field_direction" TEXT NOT NULL DEFAULT '',
    "required_dc_lines" INTEGER NOT NULL DEFAULT 0,
    "required_rf_lines" INTEGER NOT NULL DEFAULT 0,
    "required_daughterboard" TEXT NOT NULL DEFAULT '',
    "requires_optical" BOOLEAN NOT NULL DEFAULT false,
    "estimated_duration_hours" DOUBLE PRECISION NOT NULL,
    "priority" INTEGER NOT NULL DEFAULT 0,
    "assigned_machine_id" INTEGER,
    "machine_name_text" TEXT NOT NULL DEFAULT '',
    "queue_position" INTEGER,
    "status" TEXT NOT NULL DEFAULT 'queued',
    "submitted_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "started_at" TIMESTAMPTZ(6),
    "completed_at" TIMESTAMPTZ(6),
    "estimated_start_time" TIMESTAMPTZ(6),
    "reminder_due_at" TIMESTAMPTZ(6),
    "last_reminder_sent_at" TIMESTAMPTZ(6),
    "reminder_snoozed_until" TIMESTAMPTZ(6),
    "checkin_reminder_due_at" TIMESTAMPTZ(6),
    "last_checkin_reminder_sent_at" TIMESTAMPTZ(6),
    "checkin_reminder_snoozed_until" TIMESTAMPTZ(6),
    "special_requirements" TEXT NOT NULL DEFAULT '',
    "is_rush_job" BOOLEAN NOT NULL DEFAULT false,
    "rush_job_submitted_at" TIMESTAMPTZ(6),
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(6) NOT NULL,

    CONSTRAINT "calendarEditor_queueentry_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "calendarEditor_archivedmeasurement" (
    "id" SERIAL NOT NULL,
    "user_id" INTEGER NOT NULL,
    "machine_id" INTEGER,
    "machine_name" TEXT NOT NULL DEFAULT '',
    "related_queue_entry_id" INTEGER,
    "measurement_date" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "title" TEXT NOT NULL,
    "notes" TEXT NOT NULL DEFAULT '',
    "duration_hours" DOUBLE PRECISION,
    "preset_snapshot" JSON,
    "uploaded_file" TEXT,
    "status" TEXT NOT NULL DEFAULT 'published',
    "archived_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(6) NOT NULL,

    CONSTRAINT "calendarEditor_archivedmeasurement_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "calendarEditor_notificationpreference" (
    "id" SERIAL NOT NULL,
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
    "notify_account_approved" BOOLEAN NOT NULL DEFAULT true,
    "notify_account_unapproved" BOOLEAN NOT NULL DEFAULT true,
    "notify_account_promoted" BOOLEAN NOT NULL DEFAULT true,
    "notify_account_demoted" BOOLEAN NOT NULL DEFAULT true,
    "notify_account_info_changed" BOOLEAN NOT NULL DEFAULT true,
    "notify_admin_new_user" BOOLEAN NOT NULL DEFAULT true,
    "notify_admin_rush_job" BOOLEAN NOT NULL DEFAULT true,
    "notify_database_restored" BOOLEAN NOT NULL DEFAULT true,
    "email_notifications" BOOLEAN NOT NULL DEFAULT true,
    "in_app_notifications" BOOLEAN NOT NULL DEFAULT true,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(6) NOT NULL,

    CONSTRAINT "calendarEditor_notificationpreference_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "calendarEditor_notification" (
    "id" SERIAL NOT NULL,
    "recipient_id" INTEGER NOT NULL,
    "notification_type" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "message" TEXT NOT NULL,
    "related_preset_id" INTEGER,
    "related_queue_entry_id" INTEGER,
    "related_machine_id" INTEGER,
    "triggering_user_id" INTEGER,
    "is_read" BOOLEAN NOT NULL DEFAULT false,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "calendarEditor_notification_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "backup_event" (
    "id" SERIAL NOT NULL,
    "kind" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "actor" TEXT NOT NULL,
    "started_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finished_at" TIMESTAMPTZ(6),
    "result" TEXT NOT NULL,
    "bytes" INTEGER,
    "sha256" TEXT,
    "detail" TEXT NOT NULL DEFAULT '',

    CONSTRAINT "backup_event_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "_FollowedPresets" (
    "A" INTEGER NOT NULL,
    "B" INTEGER NOT NULL,

    CONSTRAINT "_FollowedPresets_AB_pkey" PRIMARY KEY ("A","B")
);

-- CreateIndex
CREATE UNIQUE INDEX "auth_user_username_key" ON "auth_user"("username");

-- CreateIndex
CREATE UNIQUE INDEX "userRegistration_userprofile_user_id_key" ON "userRegistration_userprofile"("user_id");

-- CreateIndex
CREATE INDEX "userRegistration_userprofile_approved_by_id_idx" ON "userRegistration_userprofile"("approved_by_id");

-- CreateIndex
CREATE UNIQUE INDEX "calendarEditor_machine_name_key" ON "calendarEditor_machine"("name");

-- CreateIndex
CREATE INDEX "calendarEditor_machine_current_user_id_idx" ON "calendarEditor_machine"("current_user_id");

-- CreateIndex
CREATE INDEX "calendarEditor_queuepreset_creator_id_idx" ON "calendarEditor_queuepreset"("creator_id");

-- CreateIndex
CREATE INDEX "calendarEditor_queuepreset_last_edited_by_id_idx" ON "calendarEditor_queuepreset"("last_edited_by_id");

-- CreateIndex
CREATE INDEX "calendarEditor_queueentry_assigned_machine_id_queue_positio_idx" ON "calendarEditor_queueentry"("assigned_machine_id", "queue_position", "submitted_at");

-- CreateIndex
CREATE INDEX "calendarEditor_queueentry_user_id_idx" ON "calendarEditor_queueentry"("user_id");

-- CreateIndex
CREATE INDEX "calendarEditor_queueentry_status_idx" ON "calendarEditor_queueentry"("status");

-- CreateIndex
CREATE INDEX "calendarEditor_archivedmeasurement_user_id_measurement_date_idx" ON "calendarEditor_archivedmeasurement"("user_id", "measurement_date" DESC);

-- CreateIndex
CREATE INDEX "calendarEditor_archivedmeasurement_machine_id_measurement_d_idx" ON "calendarEditor_archivedmeasurement"("machine_id", "measurement_date" DESC);

-- CreateIndex
CREATE INDEX "calendarEditor_archivedmeasurement_measurement_date_idx" ON "calendarEditor_archivedmeasurement"("measurement_date" DESC);

-- CreateIndex
CREATE INDEX "calendarEditor_archivedmeasurement_related_queue_entry_id_idx" ON "calendarEditor_archivedmeasurement"("related_queue_entry_id");

-- CreateIndex
CREATE UNIQUE INDEX "calendarEditor_notificationpreference_user_id_key" ON "calendarEditor_notificationpreference"("user_id");

-- CreateIndex
CREATE INDEX "calendarEditor_notification_recipient_id_created_at_idx" ON "calendarEditor_notification"("recipient_id", "created_at" DESC);

-- CreateIndex
CREATE INDEX "calendarEditor_notification_recipient_id_is_read_idx" ON "calendarEditor_notification"("recipient_id", "is_read");

-- CreateIndex
CREATE INDEX "calendarEditor_notification_related_preset_id_idx" ON "calendarEditor_notification"("related_preset_id");

-- CreateIndex
CREATE INDEX "calendarEditor_notification_related_queue_entry_id_idx" ON "calendarEditor_notification"("related_queue_entry_id");

-- CreateIndex
CREATE INDEX "calendarEditor_notification_related_machine_id_idx" ON "calendarEditor_notification"("related_machine_id");

-- CreateIndex
CREATE INDEX "calendarEditor_notification_triggering_user_id_idx" ON "calendarEditor_notification"("triggering_user_id");

-- CreateIndex
CREATE INDEX "backup_event_started_at_idx" ON "backup_event"("started_at" DESC);

-- CreateIndex
CREATE INDEX "_FollowedPresets_B_index" ON "_FollowedPresets"("B");

-- AddForeignKey
ALTER TABLE "userRegistration_userprofile" ADD CONSTRAINT "userRegistration_userprofile_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "auth_user"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "userRegistration_userprofile" ADD CONSTRAINT "userRegistration_userprofile_approved_by_id_fkey" FOREIGN KEY ("approved_by_id") REFERENCES "auth_user"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "calendarEditor_machine" ADD CONSTRAINT "calendarEditor_machine_current_user_id_fkey" FOREIGN KEY ("current_user_id") REFERENCES "auth_user"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "calendarEditor_queuepreset" ADD CONSTRAINT "calendarEditor_queuepreset_creator_id_fkey" FOREIGN KEY ("creator_id") REFERENCES "auth_user"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "calendarEditor_queuepreset" ADD CONSTRAINT "calendarEditor_queuepreset_last_edited_by_id_fkey" FOREIGN KEY ("last_edited_by_id") REFERENCES "auth_user"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "calendarEditor_queueentry" ADD CONSTRAINT "calendarEditor_queueentry_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "auth_user"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "calendarEditor_queueentry" ADD CONSTRAINT "calendarEditor_queueentry_assigned_machine_id_fkey" FOREIGN KEY ("assigned_machine_id") REFERENCES "calendarEditor_machine"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "calendarEditor_archivedmeasurement" ADD CONSTRAINT "calendarEditor_archivedmeasurement_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "auth_user"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "calendarEditor_archivedmeasurement" ADD CONSTRAINT "calendarEditor_archivedmeasurement_machine_id_fkey" FOREIGN KEY ("machine_id") REFERENCES "calendarEditor_machine"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "calendarEditor_archivedmeasurement" ADD CONSTRAINT "calendarEditor_archivedmeasurement_related_queue_entry_id_fkey" FOREIGN KEY ("related_queue_entry_id") REFERENCES "calendarEditor_queueentry"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "calendarEditor_notificationpreference" ADD CONSTRAINT "calendarEditor_notificationpreference_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "auth_user"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "calendarEditor_notification" ADD CONSTRAINT "calendarEditor_notification_recipient_id_fkey" FOREIGN KEY ("recipient_id") REFERENCES "auth_user"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "calendarEditor_notification" ADD CONSTRAINT "calendarEditor_notification_related_preset_id_fkey" FOREIGN KEY ("related_preset_id") REFERENCES "calendarEditor_queuepreset"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "calendarEditor_notification" ADD CONSTRAINT "calendarEditor_notification_related_queue_entry_id_fkey" FOREIGN KEY ("related_queue_entry_id") REFERENCES "calendarEditor_queueentry"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "calendarEditor_notification" ADD CONSTRAINT "calendarEditor_notification_related_machine_id_fkey" FOREIGN KEY ("related_machine_id") REFERENCES "calendarEditor_machine"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "calendarEditor_notification" ADD CONSTRAINT "calendarEditor_notification_triggering_user_id_fkey" FOREIGN KEY ("triggering_user_id") REFERENCES "auth_user"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "_FollowedPresets" ADD CONSTRAINT "_FollowedPresets_A_fkey" FOREIGN KEY ("A") REFERENCES "calendarEditor_notificationpreference"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "_FollowedPresets" ADD CONSTRAINT "_FollowedPresets_B_fkey" FOREIGN KEY ("B") REFERENCES "calendarEditor_queuepreset"("id") ON DELETE CASCADE ON UPDATE CASCADE;

