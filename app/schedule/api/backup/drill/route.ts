import { handleDrillReport } from "@/lib/offsite/http";

export const dynamic = "force-dynamic";

export function POST(request: Request) {
  return handleDrillReport(request);
}
