"use client";

import { useEffect, useId, useRef, useState } from "react";

interface Props {
  open: boolean;
  title: string;
  /** What will happen, stated plainly. */
  children: React.ReactNode;
  confirmWord: string;
  confirmLabel: string;
  onConfirm: (typed: string) => void;
  onCancel: () => void;
}

/** A modal that only confirms once the user types `confirmWord`. Esc or Cancel closes it. */
export function ConfirmDialog({ open, title, children, confirmWord, confirmLabel, onConfirm, onCancel }: Props) {
  const ref = useRef<HTMLDialogElement>(null);
  const [typed, setTyped] = useState("");
  const titleId = useId();
  const inputId = useId();

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) {
      setTyped("");
      dialog.showModal();
    }
    if (!open && dialog.open) dialog.close();
  }, [open]);

  return (
    <dialog
      ref={ref}
      aria-labelledby={titleId}
      onCancel={(e) => {
        e.preventDefault();
        onCancel();
      }}
      className="m-auto w-full max-w-lg rounded-lg p-0 shadow-xl backdrop:bg-slate-900/50"
    >
      <form
        method="dialog"
        className="space-y-4 p-6"
        onSubmit={(e) => {
          e.preventDefault();
          if (typed === confirmWord) onConfirm(typed);
        }}
      >
        <h2 id={titleId} className="text-lg font-semibold text-red-800">
          {title}
        </h2>
        <div className="space-y-2 text-sm text-slate-700">{children}</div>
        <div>
          <label htmlFor={inputId} className="block text-sm font-medium">
            Type <strong className="font-mono">{confirmWord}</strong> to confirm
          </label>
          <input
            id={inputId}
            value={typed}
            onChange={(e) => setTyped(e.target.value)}
            autoComplete="off"
            autoFocus
            className="mt-1 w-full rounded border border-slate-300 px-3 py-2 font-mono"
          />
        </div>
        <div className="flex justify-end gap-3">
          <button
            type="button"
            onClick={onCancel}
            className="rounded border border-slate-300 px-4 py-2 hover:bg-slate-100"
          >
            Cancel
          </button>
          <button
            type="submit"
            disabled={typed !== confirmWord}
            className="rounded bg-red-700 px-4 py-2 font-medium text-white hover:bg-red-800 disabled:cursor-not-allowed disabled:opacity-50"
          >
            {confirmLabel}
          </button>
        </div>
      </form>
    </dialog>
  );
}
