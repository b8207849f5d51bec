import { handleUpload } from "@/lib/backup/http/upload";

export const dynamic = "force-dynamic";

export function POST(request: Request) {
  return handleUpload(request);
}
