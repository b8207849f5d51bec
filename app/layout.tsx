import type { Metadata } from "next";

import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Lab Queue Admin", template: "%s · Lab Queue Admin" },
  description: "Staff console for the shared-lab cryostat queue: machines, queue, users and backups.",
};

export default function RootLayout({ children }: { children: React.ReactNode }) {
  return (
    <html lang="en">
      <body className="min-h-screen bg-slate-50 text-slate-900 antialiased">{children}</body>
    </html>
  );
}
