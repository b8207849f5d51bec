import { cloudDownload, cloudDownloadInput } from "@/lib/admin/cloud-download";
import { staffRoute } from "@/lib/auth/route";

export const dynamic = "force-dynamic";

/** GET /admin/storage/cloud?target=s3|github&key=…: an off-site backup, through the app. */
export const GET = staffRoute(cloudDownloadInput, ({ request, input }) => cloudDownload(request, input));
