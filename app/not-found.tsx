import type { Metadata } from "next";
import Link from "next/link";

export const metadata: Metadata = { title: "Page not found" };

/** Any address the app does not have: a plain page with the way back, not the framework's bare 404. */
export default function NotFound() {
  return (
    <main className="mx-auto flex min-h-screen max-w-md flex-col justify-center px-4">
      <h1 className="text-2xl font-semibold">Page not found</h1>
      <p className="mt-2 text-slate-700">
        There is no page at this address. It may have been typed wrong, or a link may be out of date.
      </p>
      <p className="mt-6">
        <Link href="/admin" className="rounded bg-sky-700 px-4 py-2 text-sm font-medium text-white hover:bg-sky-800">
          Go to the overview
        </Link>
      </p>
    </main>
  );
}
