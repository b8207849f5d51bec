import { handleCloudDownload } from "@/lib/admin/cloud-download";

export const dynamic = "force-dynamic";

export function GET(request: Request) {
  return handleCloudDownload(request);
}
