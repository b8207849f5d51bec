// Plain words for the stored choice values an admin page shows. A value outside the
// known choices (the original app's data holds some) is shown as it is stored.
const ORGANIZATIONS: Record<string, string> = {
  montana: "Montana State",
  uark: "University of Arkansas",
  vtech: "Virginia Tech",
};
const DEPARTMENTS: Record<string, string> = {
  physics: "Physics",
  materials: "Materials Science",
  engineering: "Engineering",
  chemistry: "Chemistry",
};

/** "Other" choices carry their own text in a second field. */
function choiceText(value: string, other: string, names: Record<string, string>): string {
  if (value === "other") return other || "Other";
  return names[value] ?? value;
}

export function organizationText(profile: { organization: string; organizationOther: string }): string {
  return choiceText(profile.organization, profile.organizationOther, ORGANIZATIONS);
}

export function departmentText(profile: { department: string; departmentOther: string }): string {
  return choiceText(profile.department, profile.departmentOther, DEPARTMENTS);
}
