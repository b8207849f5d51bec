# The original app's calendarEditor models, field for field as ORIGINAL-MODELS.md describes them.
from django.contrib.auth.models import User
from django.db import models
from django.utils import timezone

API_TYPES = [("port5001", "Port 5001"), ("quantum_design", "Quantum Design"), ("none", "None")]
DIRECTIONS = [("parallel_perpendicular", "Both"), ("perpendicular", "Perpendicular"), ("parallel", "Parallel"), ("none", "None")]
REQUIRED_DIRECTIONS = [("", "Any"), ("parallel_perpendicular", "Both"), ("perpendicular", "Perpendicular"), ("parallel", "Parallel")]
OPTICAL = [(o, o) for o in ("none", "available", "optical_not_working", "ice_mb_qb1", "under_construction", "with_work")]
MACHINE_STATUS = [(s, s) for s in ("idle", "running", "cooldown", "maintenance")]
QUEUE_STATUS = [(s, s) for s in ("queued", "running", "completed", "cancelled")]
ARCHIVE_STATUS = [(s, s) for s in ("draft", "published", "completed", "cancelled", "archived", "orphaned")]
NOTIFICATION_TYPES = [(t, t) for t in (
    "preset_created", "preset_edited", "preset_deleted", "queue_added", "queue_moved", "queue_cancelled", "on_deck",
    "ready_for_check_in", "checkin_reminder", "checkout_reminder", "machine_status_changed", "admin_check_in",
    "admin_checkout", "admin_edit_entry", "admin_moved_entry", "account_approved", "account_unapproved",
    "account_promoted", "account_demoted", "account_info_changed", "admin_new_user", "admin_rush_job",
    "database_restored", "training_request", "training_approved", "training_rejected")]


class Machine(models.Model):
    name = models.CharField(max_length=100, unique=True)
    ip_address = models.CharField(max_length=15, blank=True)
    api_type = models.CharField(max_length=20, choices=API_TYPES, default="none")
    api_port = models.IntegerField(null=True, blank=True)
    cached_temperature = models.FloatField(null=True, blank=True)
    cached_online = models.BooleanField(default=True)
    last_temp_update = models.DateTimeField(null=True, blank=True)
    min_temp = models.FloatField()
    max_temp = models.FloatField()
    b_field_x = models.FloatField(default=0)
    b_field_y = models.FloatField(default=0)
    b_field_z = models.FloatField(default=0)
    b_field_direction = models.CharField(max_length=30, choices=DIRECTIONS, default="none")
    dc_lines = models.IntegerField(default=0)
    rf_lines = models.IntegerField(default=0)
    daughterboard_type = models.CharField(max_length=100, blank=True)
    optical_capabilities = models.CharField(max_length=30, choices=OPTICAL, default="none")
    cooldown_hours = models.IntegerField()
    warmup_hours = models.IntegerField(default=0)
    current_status = models.CharField(max_length=20, choices=MACHINE_STATUS, default="idle")
    is_available = models.BooleanField(default=True)
    current_user = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL)
    estimated_available_time = models.DateTimeField(null=True, blank=True)
    description = models.TextField(blank=True)
    location = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)


class QueuePreset(models.Model):
    name = models.CharField(max_length=75)
    display_name = models.CharField(max_length=500)
    creator = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="created_presets")
    creator_username = models.CharField(max_length=150, default="unknown")
    is_public = models.BooleanField(default=False)
    last_edited_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="edited_presets")
    last_edited_at = models.DateTimeField(auto_now=True)
    created_at = models.DateTimeField(auto_now_add=True)
    title = models.CharField(max_length=75, default="", blank=True)
    description = models.TextField(default="", blank=True)
    requested_measurement_days = models.IntegerField(default=2)
    required_min_temp = models.FloatField(null=True, blank=True)
    required_max_temp = models.FloatField(null=True, blank=True)
    required_b_field_x = models.FloatField(default=0)
    required_b_field_y = models.FloatField(default=0)
    required_b_field_z = models.FloatField(default=0)
    required_b_field_direction = models.CharField(max_length=30, choices=REQUIRED_DIRECTIONS, default="", blank=True)
    required_dc_lines = models.IntegerField(default=0)
    required_rf_lines = models.IntegerField(default=0)
    required_daughterboard = models.CharField(max_length=100, default="", blank=True)
    requires_optical = models.BooleanField(default=False)
    selected_optical_machine = models.ForeignKey(Machine, null=True, blank=True, on_delete=models.SET_NULL)
    requires_temp_dependence = models.BooleanField(default=False)
    estimated_duration_hours = models.FloatField(null=True, blank=True)


class QueueEntry(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE)
    title = models.CharField(max_length=75)
    description = models.TextField()
    required_min_temp = models.FloatField()
    required_max_temp = models.FloatField(null=True, blank=True)
    required_b_field_x = models.FloatField(default=0)
    required_b_field_y = models.FloatField(default=0)
    required_b_field_z = models.FloatField(default=0)
    required_b_field_direction = models.CharField(max_length=30, choices=REQUIRED_DIRECTIONS, default="", blank=True)
    required_dc_lines = models.IntegerField(default=0)
    required_rf_lines = models.IntegerField(default=0)
    required_daughterboard = models.CharField(max_length=100, default="", blank=True)
    requires_optical = models.BooleanField(default=False)
    requires_temp_dependence = models.BooleanField(default=False)
    estimated_duration_hours = models.FloatField()
    requested_measurement_days = models.IntegerField(default=2)
    priority = models.IntegerField(default=0)
    assigned_machine = models.ForeignKey(Machine, null=True, blank=True, on_delete=models.SET_NULL)
    machine_name_text = models.CharField(max_length=100, default="", blank=True)
    queue_position = models.IntegerField(null=True, blank=True)
    status = models.CharField(max_length=20, choices=QUEUE_STATUS, default="queued")
    submitted_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    estimated_start_time = models.DateTimeField(null=True, blank=True)
    reminder_due_at = models.DateTimeField(null=True, blank=True)
    last_reminder_sent_at = models.DateTimeField(null=True, blank=True)
    reminder_snoozed_until = models.DateTimeField(null=True, blank=True)
    checkin_reminder_due_at = models.DateTimeField(null=True, blank=True)
    last_checkin_reminder_sent_at = models.DateTimeField(null=True, blank=True)
    checkin_reminder_snoozed_until = models.DateTimeField(null=True, blank=True)
    special_requirements = models.TextField(default="", blank=True)
    is_rush_job = models.BooleanField(default=False)
    rush_job_submitted_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)


class ArchivedMeasurement(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE)
    machine = models.ForeignKey(Machine, null=True, blank=True, on_delete=models.SET_NULL)
    machine_name = models.CharField(max_length=100)
    related_queue_entry = models.ForeignKey(QueueEntry, null=True, blank=True, on_delete=models.SET_NULL)
    measurement_date = models.DateTimeField(default=timezone.now)
    title = models.CharField(max_length=500)
    notes = models.TextField(blank=True)
    duration_hours = models.FloatField(null=True, blank=True)
    preset_snapshot = models.JSONField(null=True, blank=True)
    uploaded_file = models.FileField(upload_to="archived_measurements/%Y/%m/", null=True, blank=True)
    status = models.CharField(max_length=20, choices=ARCHIVE_STATUS, default="published")
    archived_at = models.DateTimeField(default=timezone.now)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)


def _flags(**defaults):
    return {name: models.BooleanField(default=value) for name, value in defaults.items()}


class NotificationPreference(models.Model):
    user = models.OneToOneField(User, on_delete=models.CASCADE)
    followed_presets = models.ManyToManyField(QueuePreset, blank=True, related_name="followers")
    locals().update(_flags(
        notify_public_preset_created=False, notify_public_preset_edited=False, notify_public_preset_deleted=False,
        notify_private_preset_edited=True, notify_followed_preset_edited=False, notify_followed_preset_deleted=False,
        notify_queue_added=True, notify_queue_position_change=True, notify_queue_cancelled=True, notify_on_deck=True,
        notify_ready_for_check_in=True, notify_checkin_reminder=True, notify_checkout_reminder=True,
        notify_machine_queue_changes=False, notify_admin_check_in=True, notify_admin_checkout=True,
        notify_admin_edit_entry=True, notify_admin_moved_entry=True, notify_machine_status_change=True,
        notify_appeal_approved=True, notify_appeal_rejected=True, notify_appeal_response=True,
        notify_account_approved=True, notify_account_unapproved=True, notify_account_promoted=True,
        notify_account_demoted=True, notify_account_info_changed=True, notify_admin_new_user=True,
        notify_admin_rush_job=True, notify_database_restored=True, notify_developer_feedback=True,
        notify_training_request=True, email_notifications=True, in_app_notifications=True, slack_notifications=True,
    ))
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)


class Notification(models.Model):
    recipient = models.ForeignKey(User, on_delete=models.CASCADE, related_name="notifications")
    notification_type = models.CharField(max_length=30, choices=NOTIFICATION_TYPES)
    title = models.CharField(max_length=500)
    message = models.TextField()
    related_preset = models.ForeignKey(QueuePreset, null=True, blank=True, on_delete=models.SET_NULL)
    related_queue_entry = models.ForeignKey(QueueEntry, null=True, blank=True, on_delete=models.SET_NULL)
    related_machine = models.ForeignKey(Machine, null=True, blank=True, on_delete=models.SET_NULL)
    triggering_user = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="triggered_notifications")
    is_read = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
