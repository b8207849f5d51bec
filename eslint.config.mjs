// ESLint: Next's own rules (core web vitals, React hooks, accessibility basics) and its
// TypeScript rules, in flat config. Formatting is Prettier's job, not ESLint's.
import nextCoreWebVitals from "eslint-config-next/core-web-vitals";
import nextTypeScript from "eslint-config-next/typescript";

const config = [
  ...nextCoreWebVitals,
  ...nextTypeScript,
  {
    ignores: [
      "generated/**",
      ".next/**",
      ".cli/**",
      ".tmp/**",
      "node_modules/**",
      "reports/**",
      ".stryker-tmp/**",
      "test-results/**",
      "playwright-report/**",
    ],
  },
  {
    rules: {
      // Unused names are mistakes, except a deliberately ignored `_name`.
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrorsIgnorePattern: "^_" },
      ],
    },
  },
  {
    files: ["**/*.cjs"],
    // CommonJS by necessity: Prisma loads generators with require().
    rules: { "@typescript-eslint/no-require-imports": "off" },
  },
];

export default config;
