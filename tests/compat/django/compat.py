"""The original app's side of the compatibility tests, run with Debian's python3-django.

    python3 compat.py write OUT.json        a backup written as the original app writes it,
                                            from data made here with Django's own ORM
    python3 compat.py load IN.json DUMP     loads a backup as the original app's importer does
                                            (record by record through Django's deserializer),
                                            then dumps what Django holds with its serializer
    python3 compat.py verdicts LIST.json OUT    the same for each file named in LIST.json, each
                                            load rolled back before the next: an oracle for
                                            damaged backups, written by Django, not by us

`load` prints a JSON summary: records loaded per model and every record Django refused.
Each run uses a fresh SQLite file; nothing is kept.
"""
import datetime
import json
import os
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

DB_DIR = tempfile.mkdtemp(prefix="django-compat-")

import django  # noqa: E402
from django.conf import settings  # noqa: E402

settings.configure(
    INSTALLED_APPS=["django.contrib.contenttypes", "django.contrib.auth", "userRegistration", "calendarEditor"],
    DATABASES={"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": os.path.join(DB_DIR, "db.sqlite3")}},
    USE_TZ=True,
    TIME_ZONE="America/Chicago",
    DEFAULT_AUTO_FIELD="django.db.models.AutoField",
    PASSWORD_HASHERS=[
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
        "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    ],
)
django.setup()

from django.contrib.auth.hashers import make_password  # noqa: E402
from django.contrib.auth.models import User  # noqa: E402
from django.core import serializers  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402

from calendarEditor.models import (  # noqa: E402
    ArchivedMeasurement, Machine, Notification, NotificationPreference, QueueEntry, QueuePreset,
)
from userRegistration.models import UserProfile  # noqa: E402

# The original's backup: these labels, in this (foreign-key) order.
MODELS = [
    ("auth.User", User),
    ("userRegistration.UserProfile", UserProfile),
    ("calendarEditor.Machine", Machine),
    ("calendarEditor.QueuePreset", QueuePreset),
    ("calendarEditor.QueueEntry", QueueEntry),
    ("calendarEditor.ArchivedMeasurement", ArchivedMeasurement),
    ("calendarEditor.NotificationPreference", NotificationPreference),
    ("calendarEditor.Notification", Notification),
]


def migrate():
    call_command("migrate", run_syncdb=True, verbosity=0)


def at(days, hours=0, micro=0):
    return datetime.datetime(2025, 3, 1, 12, 0, tzinfo=datetime.timezone.utc) + datetime.timedelta(
        days=days, hours=hours, microseconds=micro)


def make_data():
    """Data that exercises what a real lab's database holds: unicode, nulls, M2M, old hashes."""
    admin = User.objects.create(
        username="marie", first_name="Marie", last_name="Skłodowska-Curie", email="marie@lab.example",
        is_staff=True, is_superuser=True, date_joined=at(0), last_login=at(30, micro=123456),
        # Django 3.2's iteration count: an older hash than the one the original writes today.
        password=make_password("radium-1898", salt="oldsalt1234567890", hasher="pbkdf2_sha256"),
    )
    pierre = User.objects.create(
        username="pierre curie", first_name="Pierre", last_name="Curie", email="",
        date_joined=at(1), last_login=None,
        password=make_password("polonium", salt="sha1salt", hasher="pbkdf2_sha1"),
    )
    guest = User.objects.create(username="姓名", first_name="Zoë", last_name="Ngata 🧊", date_joined=at(2),
                                password=make_password(None))
    UserProfile.objects.create(
        user=admin, phone_number="+33 1 23 45 67", organization="other", organization_other="Institut du Radium",
        department="physics", notes='Says "merci" and uses \\ back-slashes\nover two lines', status="approved",
        is_approved=True, approved_at=at(0, 2), security_question="custom", security_question_custom="Élément?",
        security_answer_hash="pbkdf2_sha256$600000$x$y", is_developer=True, is_lab_manager=True,
        lab_manager_promoted_at=at(3), ln2_trained=True, ln2_training_date=at(4), last_login_ip="10.0.0.1",
        last_login_browser="Firefox", last_login_os="Linux", last_login_device="desktop",
    )
    UserProfile.objects.create(user=pierre, approved_by=admin, status="pending", department="materials",
                               developer_promoted_by=admin, lab_manager_promoted_by=admin)
    UserProfile.objects.create(user=guest, organization="uark", security_question="")
    fridge = Machine.objects.create(
        name="Bluefors LD-400 «A»", ip_address="10.0.3.14", api_type="port5001", api_port=5001,
        cached_temperature=0.0123, last_temp_update=at(29, micro=5000), min_temp=0.01, max_temp=1.5,
        b_field_z=9.0, b_field_direction="parallel", dc_lines=24, rf_lines=8, daughterboard_type="QDevil 24",
        optical_capabilities="ice_mb_qb1", cooldown_hours=48, warmup_hours=24, current_status="running",
        is_available=False, current_user=pierre, estimated_available_time=at(31), description="Dilution fridge — µK",
        location="Room 101",
    )
    ppms = Machine.objects.create(name="PPMS", min_temp=1.8, max_temp=400.0, cooldown_hours=2)
    preset = QueuePreset.objects.create(
        name="Hall bar", display_name="marie – Hall bar", creator=admin, creator_username="marie", is_public=True,
        title="Hall bar at 10 mK", requested_measurement_days=3, required_min_temp=0.01, required_b_field_z=9.0,
        required_b_field_direction="perpendicular", requires_optical=True, selected_optical_machine=fridge,
        requires_temp_dependence=True, estimated_duration_hours=36.5,
    )
    orphan = QueuePreset.objects.create(name="Orphan", display_name="Orphan", creator=None)
    entry = QueueEntry.objects.create(
        user=pierre, title="Graphene Δ sweep", description="Two-tone spectroscopy, ∥ and ⊥", required_min_temp=0.01,
        required_max_temp=None, estimated_duration_hours=12.0, assigned_machine=fridge,
        machine_name_text=fridge.name, queue_position=1, status="running", started_at=at(10),
        reminder_due_at=at(11), is_rush_job=True, rush_job_submitted_at=at(9, micro=999000),
        special_requirements="",
    )
    QueueEntry.objects.create(user=guest, title="Old run", description="", required_min_temp=2.0,
                              estimated_duration_hours=1.5, machine_name_text="Decommissioned Heliox",
                              status="cancelled")
    ArchivedMeasurement.objects.create(
        user=pierre, machine=fridge, machine_name=fridge.name, related_queue_entry=entry, measurement_date=at(12),
        title="Run 1", notes="ok", duration_hours=11.75, preset_snapshot={"name": "Hall bar", "lines": [24, 8],
                                                                        "optical": None, "ratio": 0.5},
        uploaded_file="archived_measurements/2025/03/pierre/run_1.h5", status="completed", archived_at=at(13),
    )
    ArchivedMeasurement.objects.create(user=admin, machine=None, machine_name="Gone", title="No file",
                                       notes="", status="orphaned", measurement_date=at(5), archived_at=at(6))
    prefs = NotificationPreference.objects.create(user=admin, notify_public_preset_created=True, slack_notifications=False)
    prefs.followed_presets.set([preset, orphan])
    NotificationPreference.objects.create(user=pierre)
    Notification.objects.create(recipient=pierre, notification_type="queue_added", title="Queued",
                                message="Your job is queued", related_queue_entry=entry, related_machine=fridge,
                                triggering_user=admin)
    Notification.objects.create(recipient=admin, notification_type="training_request", title="LN₂ training",
                                message="", related_preset=preset, is_read=True)


def export_document():
    """The original app's "Export Complete Database": its envelope, its layout."""
    doc = {
        "export_date": datetime.datetime.now().isoformat(),
        "export_type": "full_database_backup",
        "django_version": "4.2.25",
        "models": {},
    }
    for label, model in MODELS:
        doc["models"][label] = json.loads(serializers.serialize("json", model.objects.all().order_by("pk")))
    return doc


def load_document(doc):
    """The original importer: check the envelope, then deserialize and save record by record."""
    if doc.get("export_type") != "full_database_backup" or "models" not in doc:
        raise SystemExit("not a full database backup")
    loaded, refused = {}, []
    with transaction.atomic():
        for label, _ in MODELS:
            records = doc["models"].get(label, [])
            loaded[label] = 0
            for record in records:
                try:
                    with transaction.atomic():
                        for obj in serializers.deserialize("json", json.dumps([record])):
                            obj.save()
                    loaded[label] += 1
                except Exception as error:  # the original logs and counts every refusal
                    refused.append({"label": label, "pk": record.get("pk"), "error": str(error)[:300]})
    return {"loaded": loaded, "refused": refused}


def verdict(path):
    """What the original importer makes of one file: refusals, dangling links, what it would hold."""
    try:
        with open(path, encoding="utf-8") as source:
            doc = json.load(source)
    except (ValueError, UnicodeDecodeError) as error:
        return {"parsed": False, "error": str(error)[:200]}
    result = {"parsed": True}
    try:
        with transaction.atomic():
            result.update(load_document(doc))
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA foreign_key_check")
                result["dangling"] = len(cursor.fetchall())
            result["dump"] = export_document()["models"]
            transaction.set_rollback(True)
    except (SystemExit, Exception) as error:  # an envelope the importer refuses outright
        result["envelope_error"] = str(error)[:200]
    return result


def main(argv):
    migrate()
    if argv[:1] == ["write"] and len(argv) == 2:
        make_data()
        with open(argv[1], "w") as out:
            out.write(json.dumps(export_document(), indent=2))
    elif argv[:1] == ["load"] and len(argv) == 3:
        with open(argv[1]) as source:
            summary = load_document(json.load(source))
        with open(argv[2], "w") as out:
            out.write(json.dumps(export_document(), indent=2))
        print(json.dumps(summary))
    elif argv[:1] == ["verdicts"] and len(argv) == 3:
        with open(argv[1]) as listing:
            files = json.load(listing)
        with open(argv[2], "w") as out:
            json.dump([verdict(f) for f in files], out)
    else:
        raise SystemExit(__doc__)


if __name__ == "__main__":
    main(sys.argv[1:])
