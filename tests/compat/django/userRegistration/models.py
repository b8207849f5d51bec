# The original app's UserProfile, field for field as ORIGINAL-MODELS.md describes it.
from django.contrib.auth.models import User
from django.db import models

ORGANIZATIONS = [("", "—"), ("montana", "Montana"), ("uark", "Arkansas"), ("vtech", "Virginia Tech"), ("other", "Other")]
DEPARTMENTS = [("", "—"), ("physics", "Physics"), ("materials", "Materials"), ("engineering", "Engineering"),
               ("chemistry", "Chemistry"), ("other", "Other")]
STATUSES = [("pending", "Pending"), ("rejected", "Rejected"), ("approved", "Approved")]
QUESTIONS = [(q, q) for q in ("pet", "city", "school", "teacher", "food", "book", "childhood_friend", "street", "custom")]


class UserProfile(models.Model):
    user = models.OneToOneField(User, on_delete=models.CASCADE)
    phone_number = models.CharField(max_length=15, blank=True)
    organization = models.CharField(max_length=20, choices=ORGANIZATIONS, blank=True)
    organization_other = models.CharField(max_length=100, blank=True)
    department = models.CharField(max_length=20, choices=DEPARTMENTS, blank=True)
    department_other = models.CharField(max_length=100, blank=True)
    notes = models.CharField(max_length=500, blank=True)
    status = models.CharField(max_length=20, choices=STATUSES, default="pending")
    is_approved = models.BooleanField(default=False)
    approved_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="approved_profiles")
    approved_at = models.DateTimeField(null=True, blank=True)
    slack_member_id = models.CharField(max_length=50, blank=True)
    security_question = models.CharField(max_length=50, choices=QUESTIONS, blank=True)
    security_question_custom = models.CharField(max_length=200, blank=True)
    security_answer_hash = models.CharField(max_length=128, blank=True)
    is_developer = models.BooleanField(default=False)
    developer_promoted_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="developer_promotions")
    developer_promoted_at = models.DateTimeField(null=True, blank=True)
    is_lab_manager = models.BooleanField(default=False)
    lab_manager_promoted_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="lab_manager_promotions")
    lab_manager_promoted_at = models.DateTimeField(null=True, blank=True)
    ln2_trained = models.BooleanField(default=False)
    ln2_training_date = models.DateTimeField(null=True, blank=True)
    quantify_trained = models.BooleanField(default=False)
    quantify_training_date = models.DateTimeField(null=True, blank=True)
    last_login_ip = models.CharField(max_length=45, blank=True)
    last_login_browser = models.CharField(max_length=50, blank=True)
    last_login_os = models.CharField(max_length=50, blank=True)
    last_login_device = models.CharField(max_length=20, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
