import { handleStatusRequest } from "@/lib/offsite/http";

export const dynamic = "force-dynamic";

export function GET(request: Request) {
  return handleStatusRequest(request);
}
