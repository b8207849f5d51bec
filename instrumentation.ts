// Next.js calls register() once when the server starts. Only the Node.js server (not the edge
// runtime, not the build) does anything: instrumentation-node.ts.
export async function register(): Promise<void> {
  // NEXT_RUNTIME is replaced by Next at build time, the documented way to tell the runtimes
  // apart (so it is not the environment read outside lib/config.ts).
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { startNodeServer } = await import("./instrumentation-node");
  await startNodeServer();
}
