import { handleBackupApiRequest } from "@/lib/backup/http/api";

export const dynamic = "force-dynamic";

export function GET(request: Request) {
  return handleBackupApiRequest(request);
}
