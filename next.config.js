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
  experimental: {
    serverActions: { bodySizeLimit: "1mb" },
  },
};

export default nextConfig;
