// Preloaded into the Next server by `npm start` (node --require). Route handlers see headers,
// never the socket, and Next keeps an X-Forwarded-For the client sent itself: without this, a
// server that no proxy fronts could not tell one client from another. Every request gets the
// TCP peer's address under a header of our own, replacing anything a client sent by that name
// (lib/http/rate-limit.ts clientAddress reads it). The marker tells the app this runs: without
// it the header is the client's own words, and clientAddress ignores it (lib/http/socket-address.ts).
const http = require("node:http");

const HEADER = "x-lab-socket-address";
globalThis[Symbol.for("lab-queue-admin.socket-address-preload")] = true;
const emit = http.Server.prototype.emit;

http.Server.prototype.emit = function emitWithPeer(event, request, ...rest) {
  if (event === "request" && request && request.headers) {
    request.headers[HEADER] = request.socket?.remoteAddress ?? "unknown";
  }
  return emit.call(this, event, request, ...rest);
};
