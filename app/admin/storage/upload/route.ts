import { handleUpload } from "@/lib/admin/upload";

export const dynamic = "force-dynamic";

export function POST(request: Request) {
  return handleUpload(request);
}
