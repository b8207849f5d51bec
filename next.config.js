/** @type {import('next').NextConfig} */
const nextConfig = {
  // The backup API lives at /schedule/api/backup/database/ (trailing slash included, as
  // the Django app served it): automation must get the file without following a redirect.
  skipTrailingSlashRedirect: true,
  serverExternalPackages: ["better-sqlite3", "@prisma/adapter-better-sqlite3"],
  poweredByHeader: false,
  // Next's response compression re-gzips bodies that are already gzip-encoded; the backup
  // export compresses itself (when the client accepts it), pages are small.
  compress: false,
  experimental: {
    serverActions: { bodySizeLimit: "1mb" },
  },
};

export default nextConfig;
