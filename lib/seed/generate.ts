// Deterministic demo data, in the backup format's own shape (Django labels and field
// names), so seeding, tests and benchmarks all load it through the restore path.
// The same (scale, seed) always yields byte-identical records.
import { DJANGO_LABELS, recordLabel } from "@/lib/backup/format/labels";
import {
  ApiType,
  BFieldDirection,
  Department,
  MeasurementStatus,
  NotificationType,
  OpticalCapabilities,
  Organization,
  RequiredBFieldDirection,
  SecurityQuestion,
} from "@/lib/domain/choices";

/** The label each record carries, as Django's serializer writes it (`auth.user`). */
const RECORD_LABELS = Object.fromEntries(
  Object.entries(DJANGO_LABELS).map(([name, label]) => [name, recordLabel(label)]),
) as Record<keyof typeof DJANGO_LABELS, string>;

export interface GeneratedRecord {
  /** Django's record label (`auth.user`); `modelOfRecord` finds its model. */
  model: string;
  pk: number;
  fields: Record<string, unknown>;
}

export interface DatasetSize {
  users: number;
  machines: number;
  presets: number;
  queueEntries: number;
  archivedMeasurements: number;
  notifications: number;
}

/** ~N queue entries, N/2 archived measurements, 2N notifications, N/10 presets, N/100 users, 12 machines. */
function datasetSize(scale: number): DatasetSize {
  const n = Math.max(1, Math.round(scale));
  return {
    users: Math.max(8, Math.round(n / 100)),
    machines: 12,
    presets: Math.max(3, Math.round(n / 10)),
    queueEntries: n,
    archivedMeasurements: Math.round(n / 2),
    notifications: 2 * n,
  };
}

/** Rows per Django label the generator will produce (profiles and preferences: one per user). */
export function expectedCounts(scale: number): Record<string, number> {
  const s = datasetSize(scale);
  return {
    [DJANGO_LABELS.User]: s.users,
    [DJANGO_LABELS.UserProfile]: s.users,
    [DJANGO_LABELS.Machine]: s.machines,
    [DJANGO_LABELS.QueuePreset]: s.presets,
    [DJANGO_LABELS.QueueEntry]: s.queueEntries,
    [DJANGO_LABELS.ArchivedMeasurement]: s.archivedMeasurements,
    [DJANGO_LABELS.NotificationPreference]: s.users,
    [DJANGO_LABELS.Notification]: s.notifications,
  };
}

class Random {
  private state: number;
  constructor(seed: number) {
    this.state = seed >>> 0 || 0x9e3779b9;
  }
  /** mulberry32: small, fast and good enough for demo data. */
  next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }
  float(min: number, max: number, digits = 3): number {
    return Number((min + this.next() * (max - min)).toFixed(digits));
  }
  text(minLength: number, maxLength: number): string {
    const target = this.int(minLength, maxLength);
    let out = "";
    while (Array.from(out).length < target) out += (out ? " " : "") + this.pick(WORDS);
    // Cut by code points: slicing UTF-16 could split an emoji into a lone surrogate.
    return Array.from(out).slice(0, target).join("").trimEnd().padEnd(minLength, ".");
  }
}

/** The field and lines a measurement asks of a machine: presets and queue entries draw them alike (in this order). */
function fieldAndLines(rnd: Random) {
  return {
    required_b_field_x: rnd.pick([0, 0, 1]),
    required_b_field_y: 0,
    required_b_field_z: rnd.pick([0, 0, 9, 12]),
    required_b_field_direction: rnd.pick(RequiredBFieldDirection.options),
    required_dc_lines: rnd.pick([0, 8, 24]),
    required_rf_lines: rnd.pick([0, 2, 4]),
    required_daughterboard: rnd.chance(0.2) ? "QDevil 24" : "",
  };
}

const FIRST_NAMES = [
  "Ada",
  "Zoë",
  "Søren",
  "José",
  "Amélie",
  "Łukasz",
  "Yuki",
  "Chioma",
  "Ngozi",
  "Björn",
  "Priya",
  "Li",
  "Mateus",
  "Ines",
  "Olúwáṣeun",
  "Kai",
  "Marta",
  "Dmitri",
  "Aroha",
  "Fatima",
];
const LAST_NAMES = [
  "Lovelace",
  "Müller",
  "Kierkegaard",
  "García",
  "Poulain",
  "Wałęsa",
  "Tanaka",
  "Okafor",
  "Adeyemi",
  "Borg",
  "Raman",
  "雷",
  "Souza",
  "Ferreira",
  "Ọlánrewájú",
  "Nakamura",
  "Nowak",
  "Ivanov",
  "Ngata",
  "Haddad",
];
const OTHER_DEPARTMENTS = ["Quantum Engineering", "Applied Physics", "Nanoscience"];
const OTHER_ORGANIZATIONS = ["Sandia National Labs", "Oak Ridge", "Université de Genève"];
const BROWSERS = ["Firefox", "Chrome", "Safari", "Edge"];
const SYSTEMS = ["Linux", "macOS", "Windows", "iOS", "Android"];
const WORDS = [
  "dilution",
  "refrigerator",
  "cooldown",
  "base temperature",
  "mixing chamber",
  "qubit",
  "transmon",
  "resonator",
  "magnetoresistance",
  "Hall bar",
  "graphene",
  "twisted bilayer",
  "superconducting",
  "flux",
  "noise",
  "spectroscopy",
  "sweep",
  "10 mK",
  "4 K",
  "300 K",
  "B∥",
  "B⊥",
  "Δ",
  "Ω",
  "µ-wave",
  "calibration",
  "wire-bonded",
  "sample",
  "chip",
  "lock-in",
  "測定",
  "Überprüfung",
  "é",
  "🧊",
  "fridge",
  "overnight",
  "two-tone",
  "readout",
  "attenuators",
  "ramp",
];
const MACHINES = [
  ["Hidalgo", "port5001"],
  ["Kiutra L-Type", "none"],
  ["Bluefors LD-400 #1", "port5001"],
  ["Bluefors LD-400 #2", "port5001"],
  ["Oxford Triton 200", "port5001"],
  ["PPMS DynaCool", "quantum_design"],
  ["MPMS3", "quantum_design"],
  ["Kelvinox 25", "none"],
  ["Leiden CF-450", "port5001"],
  ["Janis He-3", "none"],
  ["ICEoxford DRY ICE", "none"],
  ["Proteox MX", "port5001"],
] as const;
const FILE_EXTENSIONS = ["h5", "csv", "zip", "dat", "npz"];

const BASE_TIME = Date.UTC(2024, 0, 1);
const HOUR = 3_600_000;

/** A datetime as Django's encoder writes it: milliseconds only when there are any. */
function isoAt(ms: number): string {
  return new Date(ms).toISOString().replace(".000Z", "Z");
}

function slug(text: string): string {
  return text.normalize("NFKD").replace(/[^\w]/g, "").toLowerCase() || "user";
}

/** Every record of a demo database for the given scale, label by label in foreign-key order. */
export function* generateDataset(scale: number, seed = 1): Generator<GeneratedRecord> {
  const size = datasetSize(scale);
  const rnd = new Random(seed);
  const users: { username: string; isStaff: boolean }[] = [];
  const staffIds: number[] = [];

  for (let pk = 1; pk <= size.users; pk++) {
    const first = rnd.pick(FIRST_NAMES);
    const last = rnd.pick(LAST_NAMES);
    const username = `${slug(first)}.${slug(last)}${pk}`;
    const isStaff = pk <= 2 || rnd.chance(0.03);
    if (isStaff) staffIds.push(pk);
    users.push({ username, isStaff });
    const joined = BASE_TIME - rnd.int(0, 900) * 24 * HOUR;
    yield {
      model: RECORD_LABELS.User,
      pk,
      fields: {
        // Demo accounts cannot sign in: the hash is Django's "unusable password" form.
        password: `!${Array.from({ length: 40 }, () => rnd.pick([..."abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"])).join("")}`,
        last_login: rnd.chance(0.2) ? null : isoAt(joined + rnd.int(1, 20_000) * HOUR),
        is_superuser: pk === 1,
        username,
        first_name: first,
        last_name: last,
        email: rnd.chance(0.9) ? `${username}@lab.example.org` : "",
        is_staff: isStaff,
        is_active: pk <= 2 || rnd.chance(0.96),
        date_joined: isoAt(joined),
        groups: [],
        user_permissions: [],
      },
    };
  }

  for (let pk = 1; pk <= size.users; pk++) {
    const status =
      pk <= 2 ? "approved" : rnd.pick(["approved", "approved", "approved", "approved", "pending", "rejected"] as const);
    const approved = status === "approved";
    const organization = rnd.pick(Organization.options);
    const department = rnd.pick(Department.options);
    // Every demo account chose a question, as registering requires: a blank one is outside the
    // field's choices, and our own demo data should give a restore's dry run nothing to note.
    const question = rnd.pick(SecurityQuestion.options);
    const developer = pk === 1 || rnd.chance(0.02);
    const labManager = users[pk - 1]!.isStaff && (pk === 2 || rnd.chance(0.5));
    const ln2 = rnd.chance(0.6);
    const quantify = rnd.chance(0.3);
    const created = BASE_TIME + rnd.int(0, 5000) * HOUR;
    yield {
      model: RECORD_LABELS.UserProfile,
      pk,
      fields: {
        user: pk,
        phone_number: rnd.chance(0.6) ? `+1-555-${String(rnd.int(0, 9999)).padStart(4, "0")}` : "",
        organization,
        organization_other: organization === "other" ? rnd.pick(OTHER_ORGANIZATIONS) : "",
        department,
        department_other: department === "other" ? rnd.pick(OTHER_DEPARTMENTS) : "",
        notes: rnd.chance(0.2) ? rnd.text(10, 200) : "",
        status,
        is_approved: approved,
        approved_by: approved && rnd.chance(0.9) ? rnd.pick(staffIds) : null,
        approved_at: approved ? isoAt(created + rnd.int(1, 72) * HOUR) : null,
        slack_member_id: rnd.chance(0.5) ? `U${rnd.int(10_000_000, 99_999_999)}` : "",
        security_question: question,
        security_question_custom: question === "custom" ? rnd.text(10, 60) : "",
        security_answer_hash: question ? `pbkdf2_sha256$600000$demo${pk}$${"x".repeat(43)}=` : "",
        is_developer: developer,
        developer_promoted_by: developer && pk !== 1 ? 1 : null,
        developer_promoted_at: developer && pk !== 1 ? isoAt(created + rnd.int(100, 900) * HOUR) : null,
        is_lab_manager: labManager,
        lab_manager_promoted_by: labManager ? 1 : null,
        lab_manager_promoted_at: labManager ? isoAt(created + rnd.int(100, 900) * HOUR) : null,
        ln2_trained: ln2,
        ln2_training_date: ln2 ? isoAt(created + rnd.int(24, 2000) * HOUR) : null,
        quantify_trained: quantify,
        quantify_training_date: quantify ? isoAt(created + rnd.int(24, 2000) * HOUR) : null,
        last_login_ip: rnd.chance(0.8) ? `10.${rnd.int(0, 255)}.${rnd.int(0, 255)}.${rnd.int(1, 254)}` : "",
        last_login_browser: rnd.pick(BROWSERS),
        last_login_os: rnd.pick(SYSTEMS),
        last_login_device: rnd.pick(["desktop", "mobile", "tablet"]),
        created_at: isoAt(created),
        updated_at: isoAt(created + rnd.int(0, 3000) * HOUR),
      },
    };
  }

  const machineNames: string[] = [];
  for (let pk = 1; pk <= size.machines; pk++) {
    const [name, apiType] = MACHINES[(pk - 1) % MACHINES.length]!;
    machineNames.push(name);
    const dilution = name.includes("LD") || name.includes("Triton") || name.includes("CF") || name.includes("Proteox");
    const status = rnd.pick(["idle", "running", "running", "cooldown", "maintenance"] as const);
    const online = rnd.chance(0.85);
    yield {
      model: RECORD_LABELS.Machine,
      pk,
      fields: {
        name,
        ip_address: apiType === "none" ? "" : `10.0.3.${10 + pk}`,
        api_type: ApiType.parse(apiType),
        api_port: apiType === "port5001" ? 5001 : null,
        cached_temperature: online ? rnd.float(dilution ? 0.008 : 1.8, 300) : null,
        cached_online: online,
        last_temp_update: online ? isoAt(BASE_TIME + rnd.int(9000, 9100) * HOUR) : null,
        min_temp: dilution ? 0.01 : 1.8,
        max_temp: dilution ? 1.5 : 400,
        b_field_x: rnd.pick([0, 0, 1, 6]),
        b_field_y: rnd.pick([0, 0, 1]),
        b_field_z: rnd.pick([0, 9, 12, 14]),
        b_field_direction: rnd.pick(BFieldDirection.options),
        dc_lines: rnd.pick([0, 12, 24, 48]),
        rf_lines: rnd.pick([0, 2, 8, 16]),
        daughterboard_type: rnd.chance(0.5) ? rnd.pick(["QDevil 24", "Bluefors RF", "custom PCB v3"]) : "",
        optical_capabilities: rnd.pick(OpticalCapabilities.options),
        cooldown_hours: dilution ? rnd.int(24, 72) : rnd.int(2, 8),
        warmup_hours: dilution ? rnd.int(12, 36) : rnd.int(1, 4),
        current_status: status,
        is_available: status === "idle" || rnd.chance(0.3),
        current_user: status === "running" ? rnd.int(1, size.users) : null,
        estimated_available_time: status === "idle" ? null : isoAt(BASE_TIME + rnd.int(9000, 9500) * HOUR),
        description: rnd.chance(0.7) ? rnd.text(20, 400) : "",
        location: rnd.chance(0.8) ? `Building ${rnd.pick(["A", "B", "C"])}, room ${rnd.int(100, 450)}` : "",
        created_at: isoAt(BASE_TIME - rnd.int(100, 900) * 24 * HOUR),
        updated_at: isoAt(BASE_TIME + rnd.int(0, 9000) * HOUR),
      },
    };
  }

  for (let pk = 1; pk <= size.presets; pk++) {
    const creator = rnd.chance(0.95) ? rnd.int(1, size.users) : null;
    const name = rnd.text(5, 40);
    const created = BASE_TIME + rnd.int(0, 8000) * HOUR;
    const hasTemps = rnd.chance(0.8);
    const optical = rnd.chance(0.1);
    yield {
      model: RECORD_LABELS.QueuePreset,
      pk,
      fields: {
        name: name.slice(0, 75),
        display_name: `${creator ? users[creator - 1]!.username : "unknown"} – ${name}`,
        creator,
        creator_username: creator ? users[creator - 1]!.username : "unknown",
        is_public: rnd.chance(0.4),
        last_edited_by: rnd.chance(0.5) ? rnd.int(1, size.users) : null,
        last_edited_at: isoAt(created + rnd.int(0, 500) * HOUR),
        created_at: isoAt(created),
        title: rnd.chance(0.7) ? rnd.text(5, 75) : "",
        description: rnd.chance(0.6) ? rnd.text(10, 500) : "",
        requested_measurement_days: rnd.int(1, 7),
        required_min_temp: hasTemps ? rnd.float(0.008, 4) : null,
        required_max_temp: hasTemps && rnd.chance(0.6) ? rnd.float(4, 300) : null,
        ...fieldAndLines(rnd),
        requires_optical: optical,
        selected_optical_machine: optical ? rnd.int(1, size.machines) : null,
        requires_temp_dependence: rnd.chance(0.2),
        estimated_duration_hours: rnd.chance(0.8) ? rnd.float(1, 240, 1) : null,
      },
    };
  }

  const nextPosition = new Array<number>(size.machines + 1).fill(0);
  const completedEntries: number[] = [];
  for (let pk = 1; pk <= size.queueEntries; pk++) {
    const status = rnd.pick([
      "queued",
      "queued",
      "queued",
      "running",
      "completed",
      "completed",
      "completed",
      "completed",
      "completed",
      "cancelled",
    ] as const);
    const machine = rnd.chance(0.92) ? rnd.int(1, size.machines) : null;
    const submitted = BASE_TIME + rnd.int(0, 9000) * HOUR;
    const started = status === "running" || status === "completed" ? submitted + rnd.int(1, 300) * HOUR : null;
    if (status === "completed") completedEntries.push(pk);
    const rush = rnd.chance(0.03);
    yield {
      model: RECORD_LABELS.QueueEntry,
      pk,
      fields: {
        user: rnd.int(1, size.users),
        title: rnd.text(5, 75),
        description: rnd.text(50, 500),
        required_min_temp: rnd.float(0.008, 4),
        required_max_temp: rnd.chance(0.5) ? rnd.float(4, 300) : null,
        ...fieldAndLines(rnd),
        requires_optical: rnd.chance(0.1),
        requires_temp_dependence: rnd.chance(0.15),
        estimated_duration_hours: rnd.float(0.5, 240, 1),
        requested_measurement_days: rnd.int(1, 7),
        priority: rnd.chance(0.9) ? 0 : rnd.int(1, 5),
        assigned_machine: machine,
        machine_name_text: machine ? machineNames[machine - 1] : "Decommissioned Heliox",
        queue_position: status === "queued" && machine ? ++nextPosition[machine]! : null,
        status,
        submitted_at: isoAt(submitted),
        started_at: started === null ? null : isoAt(started),
        completed_at: status === "completed" && started !== null ? isoAt(started + rnd.int(1, 240) * HOUR) : null,
        estimated_start_time: status === "queued" ? isoAt(submitted + rnd.int(1, 500) * HOUR) : null,
        reminder_due_at: status === "queued" && rnd.chance(0.3) ? isoAt(submitted + rnd.int(1, 200) * HOUR) : null,
        last_reminder_sent_at: rnd.chance(0.1) ? isoAt(submitted + rnd.int(1, 100) * HOUR) : null,
        reminder_snoozed_until: rnd.chance(0.05) ? isoAt(submitted + rnd.int(100, 200) * HOUR) : null,
        checkin_reminder_due_at: status === "running" ? isoAt(submitted + rnd.int(1, 50) * HOUR) : null,
        last_checkin_reminder_sent_at: rnd.chance(0.05) ? isoAt(submitted + rnd.int(1, 50) * HOUR) : null,
        checkin_reminder_snoozed_until: null,
        special_requirements: rnd.chance(0.3) ? rnd.text(10, 500) : "",
        is_rush_job: rush,
        rush_job_submitted_at: rush ? isoAt(submitted + HOUR) : null,
        created_at: isoAt(submitted),
        updated_at: isoAt(submitted + rnd.int(0, 600) * HOUR),
      },
    };
  }

  for (let pk = 1; pk <= size.archivedMeasurements; pk++) {
    const user = rnd.int(1, size.users);
    const machine = rnd.chance(0.95) ? rnd.int(1, size.machines) : null;
    const measured = BASE_TIME + rnd.int(0, 9000) * HOUR;
    const date = new Date(measured);
    const year = date.getUTCFullYear();
    const month = String(date.getUTCMonth() + 1).padStart(2, "0");
    yield {
      model: RECORD_LABELS.ArchivedMeasurement,
      pk,
      fields: {
        user,
        machine,
        machine_name: machine ? machineNames[machine - 1] : "Decommissioned Heliox",
        related_queue_entry: completedEntries.length > 0 && rnd.chance(0.7) ? rnd.pick(completedEntries) : null,
        measurement_date: isoAt(measured),
        title: rnd.text(5, 120),
        notes: rnd.chance(0.5) ? rnd.text(10, 500) : "",
        duration_hours: rnd.chance(0.9) ? rnd.float(0.5, 240, 2) : null,
        preset_snapshot: rnd.chance(0.6)
          ? {
              name: rnd.text(5, 30),
              required_min_temp: rnd.float(0.008, 4),
              required_b_field: { x: 0, y: 0, z: rnd.pick([0, 9, 12]), direction: rnd.pick(BFieldDirection.options) },
              lines: { dc: rnd.pick([0, 24]), rf: rnd.pick([2, 4]) },
              tags: [rnd.pick(WORDS), rnd.pick(WORDS)],
              optical: rnd.chance(0.1) ? true : null,
            }
          : null,
        uploaded_file: rnd.chance(0.5)
          ? `archived_measurements/${year}/${month}/${users[user - 1]!.username}/run_${pk}.${rnd.pick(FILE_EXTENSIONS)}`
          : "", // Django's FileField stores "no file" as "", never null, as the real backups show.
        status: rnd.pick(MeasurementStatus.options),
        archived_at: isoAt(measured + rnd.int(1, 48) * HOUR),
        created_at: isoAt(measured + HOUR),
        updated_at: isoAt(measured + rnd.int(1, 400) * HOUR),
      },
    };
  }

  for (let pk = 1; pk <= size.users; pk++) {
    const followed = new Set<number>();
    const follows = rnd.chance(0.4) ? rnd.int(1, Math.min(5, size.presets)) : 0;
    while (followed.size < follows) followed.add(rnd.int(1, size.presets));
    yield {
      model: RECORD_LABELS.NotificationPreference,
      pk,
      fields: {
        user: pk,
        followed_presets: [...followed].sort((a, b) => a - b),
        notify_public_preset_created: rnd.chance(0.2),
        notify_public_preset_edited: rnd.chance(0.1),
        notify_public_preset_deleted: false,
        notify_private_preset_edited: true,
        notify_followed_preset_edited: follows > 0,
        notify_followed_preset_deleted: follows > 0,
        notify_queue_added: true,
        notify_queue_position_change: rnd.chance(0.8),
        notify_queue_cancelled: true,
        notify_on_deck: true,
        notify_ready_for_check_in: true,
        notify_checkin_reminder: true,
        notify_checkout_reminder: true,
        notify_machine_queue_changes: rnd.chance(0.1),
        notify_admin_check_in: true,
        notify_admin_checkout: true,
        notify_admin_edit_entry: true,
        notify_admin_moved_entry: true,
        notify_machine_status_change: rnd.chance(0.9),
        notify_appeal_approved: true,
        notify_appeal_rejected: true,
        notify_appeal_response: true,
        notify_account_approved: true,
        notify_account_unapproved: true,
        notify_account_promoted: true,
        notify_account_demoted: true,
        notify_account_info_changed: true,
        notify_admin_new_user: users[pk - 1]!.isStaff,
        notify_admin_rush_job: users[pk - 1]!.isStaff,
        notify_database_restored: users[pk - 1]!.isStaff,
        notify_developer_feedback: pk === 1,
        notify_training_request: users[pk - 1]!.isStaff,
        email_notifications: rnd.chance(0.7),
        in_app_notifications: true,
        slack_notifications: rnd.chance(0.3),
        created_at: isoAt(BASE_TIME + rnd.int(0, 100) * HOUR),
        updated_at: isoAt(BASE_TIME + rnd.int(100, 9000) * HOUR),
      },
    };
  }

  for (let pk = 1; pk <= size.notifications; pk++) {
    const type = rnd.pick(NotificationType.options);
    yield {
      model: RECORD_LABELS.Notification,
      pk,
      fields: {
        recipient: rnd.int(1, size.users),
        notification_type: type,
        title: `${type.replaceAll("_", " ")}: ${rnd.text(5, 60)}`,
        message: rnd.text(10, 500),
        related_preset: type.startsWith("preset") ? rnd.int(1, size.presets) : null,
        related_queue_entry: type.startsWith("queue") || type.includes("check") ? rnd.int(1, size.queueEntries) : null,
        related_machine: rnd.chance(0.3) ? rnd.int(1, size.machines) : null,
        triggering_user: rnd.chance(0.4) ? rnd.int(1, size.users) : null,
        is_read: rnd.chance(0.6),
        created_at: isoAt(BASE_TIME + rnd.int(0, 9000) * HOUR + rnd.int(0, 3_599_999)),
      },
    };
  }
}
