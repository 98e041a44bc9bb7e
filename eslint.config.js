// Lint rules: typescript-eslint's recommended set, plus the rule that keeps Connect's public
// SDK (connect/api) free of runtime imports, so plugins depend on a small stable surface.
import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["node_modules/", "data/", ".venv/", "coverage/", "dist/"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-explicit-any": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    },
  },
  // connect/api is one directory deep at most (api/*.ts, api/<area>/*.ts): a relative import
  // may climb back to api/ but not out of it.
  {
    files: ["connect/api/*.ts"],
    rules: {
      "no-restricted-imports": ["error", { patterns: [{ group: ["../*"], message: "connect/api is the public SDK: it imports nothing else from the project" }] }],
    },
  },
  {
    files: ["connect/api/*/**/*.ts"],
    rules: {
      "no-restricted-imports": ["error", { patterns: [{ group: ["../../*"], message: "connect/api is the public SDK: it imports nothing else from the project (and is at most one directory deep)" }] }],
    },
  },
);
