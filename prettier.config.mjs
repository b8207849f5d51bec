// Prettier formats every source file; imports are sorted in one fixed order:
// Node built-ins, packages, then the project's own modules (@/…), then relative paths.
const config = {
  printWidth: 120,
  plugins: ["@ianvs/prettier-plugin-sort-imports"],
  importOrder: ["<BUILTIN_MODULES>", "", "<THIRD_PARTY_MODULES>", "", "^@/(.*)$", "", "^[./]"],
  importOrderTypeScriptVersion: "5.9.0",
};

export default config;
