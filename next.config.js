// Gzip in transit for the export. A route handler cannot send `Content-Encoding` (Next drops it:
// send-response.js), so here, one rule decides for both: a client whose Accept-Encoding lists
// gzip (not at q=0), asking for the JSON document, is sent to the export's /gzip route, and
// its response carries `Content-Encoding: gzip`. That route answers every body gzipped (the
// export as the app's own single gzip member: lib/backup/export/gzip-single.ts). Anything
// else gets the plain route, and Next's compressor as before.

/** Accept-Encoding names gzip, as a whole token, with no q=0 (Next anchors the pattern at both ends). */
const ACCEPTS_GZIP = {
  type: "header",
  key: "accept-encoding",
  value: "(?:.*[\\s,])?gzip(?!\\s*;\\s*q\\s*=\\s*0(?:\\.0*)?\\s*(?:,|$))(?:[\\s;,].*)?",
};
/** The backup API's ?format=json.gz is a file of its own type, already gzipped: never encoded again. */
const GZIP_FILE = { type: "query", key: "format", value: "json\\.gz" };

/** [the route a browser or `curl --compressed` asks for, the route that answers it gzipped] */
const GZIPPED_IN_TRANSIT = [
  ["/admin/storage/export", "/admin/storage/export/gzip"],
  ["/schedule/api/backup/database", "/schedule/api/backup/database/gzip/"],
  ["/schedule/api/backup/database/", "/schedule/api/backup/database/gzip/"],
];
const CONTENT_ENCODING_GZIP = [{ key: "Content-Encoding", value: "gzip" }];

/** @type {import('next').NextConfig} */
const nextConfig = {
  // The backup API lives at /schedule/api/backup/database/ (trailing slash included, as
  // the Django app served it): automation must get the file without following a redirect.
  skipTrailingSlashRedirect: true,
  serverExternalPackages: ["better-sqlite3", "@prisma/adapter-better-sqlite3", "pg", "@prisma/adapter-pg"],
  poweredByHeader: false,
  // The build type-checks only what the app ships (app, components, lib, types): a type error
  // in a test or a benchmark must not stop `npm start` from building. `npm run typecheck`
  // checks everything.
  typescript: { tsconfigPath: "tsconfig.build.json" },
  async rewrites() {
    return {
      beforeFiles: GZIPPED_IN_TRANSIT.map(([source, destination]) => ({
        source,
        has: [ACCEPTS_GZIP],
        missing: [GZIP_FILE],
        destination,
      })),
    };
  },
  async headers() {
    // Headers are matched on the path asked for: the same conditions as the rewrite, and the
    // /gzip routes themselves (asked for directly, they answer gzip too).
    return [
      ...GZIPPED_IN_TRANSIT.map(([source]) => ({
        source,
        has: [ACCEPTS_GZIP],
        missing: [GZIP_FILE],
        headers: CONTENT_ENCODING_GZIP,
      })),
      ...new Set(GZIPPED_IN_TRANSIT.map(([, gzip]) => gzip)),
    ].map((rule) => (typeof rule === "string" ? { source: rule, headers: CONTENT_ENCODING_GZIP } : rule));
  },
  experimental: {
    serverActions: { bodySizeLimit: "1mb" },
  },
};

export default nextConfig;
