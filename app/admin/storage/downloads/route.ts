import { downloadsInput, recentDownloads } from "@/lib/admin/downloads";
import { staffRoute } from "@/lib/auth/route";

export const dynamic = "force-dynamic";

/** GET /admin/storage/downloads?after=ID: the signed-in person's downloads since then (polled after a click). */
export const GET = staffRoute(downloadsInput, async ({ input, staff }) => ({
  downloads: await recentDownloads(input.after, staff.username),
}));
