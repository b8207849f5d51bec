import { receiveUpload } from "@/lib/admin/upload";
import { staffRoute } from "@/lib/auth/route";

export const dynamic = "force-dynamic";

/** POST /admin/storage/upload: stores a backup and answers its dry run (staffRoute refuses other sites). */
export const POST = staffRoute(({ request, staff }) => receiveUpload(request, staff));
