/**
 * "under “Troubleshooting” in docs/operations.md in the app's source code (its repository on
 * GitHub)": where a set-up step is written, for whoever runs the server. Named, not linked: the
 * server may be offline, and the file is the lab's own copy of the repository.
 */
export function StepsInOperationsDocs({ section }: { section: string }) {
  return (
    <>
      under &ldquo;{section}&rdquo; in <code>docs/operations.md</code> in the app&apos;s source code (its repository on
      GitHub)
    </>
  );
}
