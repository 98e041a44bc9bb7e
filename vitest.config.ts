import { defineConfig } from "vitest/config";

// Two projects: `unit` (pure logic, no network) and `integration` (real servers from
// test/services, which scripts/test.sh brings up before vitest starts).
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: "unit",
          include: ["test/unit/**/*.test.ts"],
        },
      },
      {
        test: {
          name: "integration",
          include: ["test/integration/**/*.test.ts", "test/interop/**/*.test.ts", "test/e2e/**/*.test.ts"],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          // With HUB_TEST_CONTAINERS=1 and a Docker engine, testcontainers starts the services.
          globalSetup: ["test/services/containers.ts"],
          // Servers on a 2-core machine: fewer files at once keeps timings sane.
          maxWorkers: 2,
        },
      },
    ],
  },
});
