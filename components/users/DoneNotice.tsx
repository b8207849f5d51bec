"use client";

import { useEffect, useRef } from "react";

/** What just happened on the page, announced and focused (the row it was about is gone). */
export function DoneNotice({ children }: { children: React.ReactNode }) {
  const ref = useRef<HTMLParagraphElement>(null);
  useEffect(() => ref.current?.focus(), []);
  return (
    <p
      ref={ref}
      role="status"
      tabIndex={-1}
      className="mb-3 rounded bg-emerald-50 p-3 text-sm text-emerald-900"
      data-testid="users-notice"
    >
      {children}
    </p>
  );
}
