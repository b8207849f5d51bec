-- AlterTable
ALTER TABLE "userRegistration_userprofile" ADD COLUMN     "department_other" TEXT NOT NULL DEFAULT '',
ADD COLUMN     "developer_promoted_at" TIMESTAMPTZ(6),
ADD COLUMN     "developer_promoted_by_id" INTEGER,
ADD COLUMN     "is_developer" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "is_lab_manager" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "lab_manager_promoted_at" TIMESTAMPTZ(6),
ADD COLUMN     "lab_manager_promoted_by_id" INTEGER,
ADD COLUMN     "last_login_browser" TEXT NOT NULL DEFAULT '',
ADD COLUMN     "last_login_device" TEXT NOT NULL DEFAULT '',
ADD COLUMN     "last_login_ip" TEXT NOT NULL DEFAULT '',
ADD COLUMN     "last_login_os" TEXT NOT NULL DEFAULT '',
ADD COLUMN     "ln2_trained" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "ln2_training_date" TIMESTAMPTZ(6),
ADD COLUMN     "notes" TEXT NOT NULL DEFAULT '',
ADD COLUMN     "organization" TEXT NOT NULL DEFAULT '',
ADD COLUMN     "organization_other" TEXT NOT NULL DEFAULT '',
ADD COLUMN     "quantify_trained" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "quantify_training_date" TIMESTAMPTZ(6),
ADD COLUMN     "security_answer_hash" TEXT NOT NULL DEFAULT '',
ADD COLUMN     "security_question" TEXT NOT NULL DEFAULT '',
ADD COLUMN     "security_question_custom" TEXT NOT NULL DEFAULT '',
ADD COLUMN     "slack_member_id" TEXT NOT NULL DEFAULT '',
ADD COLUMN     "status" TEXT NOT NULL DEFAULT 'pending',
ADD COLUMN     "updated_at" TIMESTAMPTZ(6);

-- Profiles had no updated_at: their last change is not known, so it starts at their creation
-- (as in SQLite's migration of the same name; Prisma's diff would refuse existing rows).
UPDATE "userRegistration_userprofile" SET "updated_at" = "created_at";
ALTER TABLE "userRegistration_userprofile" ALTER COLUMN "updated_at" SET NOT NULL;

-- AlterTable
ALTER TABLE "calendarEditor_machine" ADD COLUMN     "warmup_hours" INTEGER NOT NULL DEFAULT 0;

-- AlterTable
ALTER TABLE "calendarEditor_queuepreset" ADD COLUMN     "requested_measurement_days" INTEGER NOT NULL DEFAULT 2,
ADD COLUMN     "requires_temp_dependence" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "selected_optical_machine_id" INTEGER;

-- AlterTable
ALTER TABLE "calendarEditor_queueentry" ADD COLUMN     "requested_measurement_days" INTEGER NOT NULL DEFAULT 2,
ADD COLUMN     "requires_temp_dependence" BOOLEAN NOT NULL DEFAULT false,
ALTER COLUMN "description" SET DEFAULT '';

-- AlterTable
ALTER TABLE "calendarEditor_notificationpreference" ADD COLUMN     "notify_appeal_approved" BOOLEAN NOT NULL DEFAULT true,
ADD COLUMN     "notify_appeal_rejected" BOOLEAN NOT NULL DEFAULT true,
ADD COLUMN     "notify_appeal_response" BOOLEAN NOT NULL DEFAULT true,
ADD COLUMN     "notify_developer_feedback" BOOLEAN NOT NULL DEFAULT true,
ADD COLUMN     "notify_training_request" BOOLEAN NOT NULL DEFAULT true,
ADD COLUMN     "slack_notifications" BOOLEAN NOT NULL DEFAULT true;

-- CreateIndex
CREATE INDEX "userRegistration_userprofile_developer_promoted_by_id_idx" ON "userRegistration_userprofile"("developer_promoted_by_id");

-- CreateIndex
CREATE INDEX "userRegistration_userprofile_lab_manager_promoted_by_id_idx" ON "userRegistration_userprofile"("lab_manager_promoted_by_id");

-- CreateIndex
CREATE INDEX "calendarEditor_queuepreset_selected_optical_machine_id_idx" ON "calendarEditor_queuepreset"("selected_optical_machine_id");

-- AddForeignKey
ALTER TABLE "userRegistration_userprofile" ADD CONSTRAINT "userRegistration_userprofile_developer_promoted_by_id_fkey" FOREIGN KEY ("developer_promoted_by_id") REFERENCES "auth_user"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "userRegistration_userprofile" ADD CONSTRAINT "userRegistration_userprofile_lab_manager_promoted_by_id_fkey" FOREIGN KEY ("lab_manager_promoted_by_id") REFERENCES "auth_user"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "calendarEditor_queuepreset" ADD CONSTRAINT "calendarEditor_queuepreset_selected_optical_machine_id_fkey" FOREIGN KEY ("selected_optical_machine_id") REFERENCES "calendarEditor_machine"("id") ON DELETE SET NULL ON UPDATE CASCADE;

