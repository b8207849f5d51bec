"use client";

import { useEffect, useRef, useState, type ReactNode } from "react";

/**
 * A box that scrolls sideways when its content is wider than the screen. Only then is it a Tab
 * stop (so the keyboard can scroll it): a table that fits would otherwise be one more stop, with
 * nothing to do there, on the way to every button below it. Rendered focusable until measured,
 * so a page read before the script runs can still be scrolled.
 */
export function ScrollRegion({
  label,
  className,
  children,
}: {
  label: string;
  className: string;
  children: ReactNode;
}) {
  const ref = useRef<HTMLDivElement>(null);
  const [scrolls, setScrolls] = useState(true);

  useEffect(() => {
    const box = ref.current;
    if (!box) return;
    const measure = () => setScrolls(box.scrollWidth > box.clientWidth);
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(box);
    if (box.firstElementChild) observer.observe(box.firstElementChild);
    return () => observer.disconnect();
  }, []);

  return (
    <div
      ref={ref}
      role="region"
      aria-label={label}
      tabIndex={scrolls ? 0 : undefined}
      className={`focus:outline-none focus-visible:ring-2 focus-visible:ring-sky-600 ${className}`}
    >
      {children}
    </div>
  );
}
