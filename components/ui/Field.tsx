"use client";

import { useId, type ReactNode } from "react";

/**
 * A checkbox or radio button with its label beside it, the label taking the clicks. The one
 * way a form on these pages writes an option.
 */
export function OptionField({
  type = "checkbox",
  name,
  checked,
  onChange,
  className = "text-sm",
  children,
}: {
  type?: "checkbox" | "radio";
  /** A radio group's shared name. */
  name?: string;
  checked: boolean;
  onChange: (checked: boolean) => void;
  className?: string;
  children: ReactNode;
}) {
  const id = useId();
  return (
    <div className={`flex items-start gap-2 ${className}`}>
      <input
        id={id}
        type={type}
        name={name}
        checked={checked}
        onChange={(e) => onChange(e.target.checked)}
        className="mt-1"
      />
      <label htmlFor={id}>{children}</label>
    </div>
  );
}

/**
 * A field with its label above it and, optionally, a line of help below that the field is
 * described by. `children` gets the ids to put on the control: `id` and `aria-describedby`.
 */
export function LabelledField({
  label,
  help,
  id: fixedId,
  testId,
  children,
}: {
  label: ReactNode;
  help?: ReactNode;
  /** A known id, for moving focus to the control from elsewhere. */
  id?: string;
  testId?: string;
  children: (ids: { id: string; describedBy: string | undefined }) => ReactNode;
}) {
  const generatedId = useId();
  const id = fixedId ?? generatedId;
  const helpId = useId();
  return (
    <div data-testid={testId}>
      <label htmlFor={id} className="block text-sm font-medium">
        {label}
      </label>
      {children({ id, describedBy: help ? helpId : undefined })}
      {help ? (
        <p id={helpId} className="mt-1 max-w-sm text-xs text-slate-600">
          {help}
        </p>
      ) : null}
    </div>
  );
}
