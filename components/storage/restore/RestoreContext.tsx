"use client";

// The backup being restored, shared by the Restore panel and the Cloud Backups card: a backup
// fetched from off-site storage goes through the same dry run, choices and confirmation as an
// upload, in the one Restore panel.
import { createContext, useContext, useState } from "react";

import { initialChoices, type Choices } from "@/components/storage/restore/RestoreChoices";
import type { DryRun } from "@/lib/admin/upload";

const NO_CHOICES: Choices = { acceptLoss: false, keepMyAccount: false, silent: false, merge: false, signInAs: null };

interface RestoreState {
  dryRun: DryRun | null;
  choices: Choices;
  setChoices(choices: Choices): void;
  /** Shows a dry run in the Restore panel (null clears it), with the choices it suggests. */
  show(dryRun: DryRun | null): void;
}

const RestoreContext = createContext<RestoreState | null>(null);

export function RestoreProvider({ children }: { children: React.ReactNode }) {
  const [dryRun, setDryRun] = useState<DryRun | null>(null);
  const [choices, setChoices] = useState<Choices>(NO_CHOICES);
  const show = (next: DryRun | null) => {
    setDryRun(next);
    setChoices(next ? initialChoices(next) : NO_CHOICES);
  };
  return <RestoreContext.Provider value={{ dryRun, choices, setChoices, show }}>{children}</RestoreContext.Provider>;
}

export function useRestoreState(): RestoreState {
  const state = useContext(RestoreContext);
  if (!state) throw new Error("useRestoreState needs a RestoreProvider around it.");
  return state;
}
