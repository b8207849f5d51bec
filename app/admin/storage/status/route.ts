import { restoreProgress } from "@/lib/admin/restore-progress";
import { staffRoute } from "@/lib/auth/route";

export const dynamic = "force-dynamic";

/** What the running restore is doing, polled by the progress bar. */
export const GET = staffRoute(async () => restoreProgress());
