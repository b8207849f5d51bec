// Route handlers called in-process, as the server under `npm start` runs them: the preload
// (scripts/socket-address.cjs) has marked the process, so SOCKET_ADDRESS_HEADER is believed and
// each test request can name its own client address.
import { afterAll, beforeAll } from "vitest";

import { SOCKET_ADDRESS_MARKER } from "@/lib/http/socket-address";

export function asUnderNpmStart(): void {
  const marker = globalThis as Record<symbol, unknown>;
  beforeAll(() => {
    marker[SOCKET_ADDRESS_MARKER] = true;
  });
  afterAll(() => {
    delete marker[SOCKET_ADDRESS_MARKER];
  });
}
