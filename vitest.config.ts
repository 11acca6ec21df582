import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Network tests use real loopback servers; a generous per-test timeout keeps a slow CI machine green
    // without hiding hangs (each stream test also has its own client-side timeouts).
    testTimeout: 20_000,
    hookTimeout: 20_000,
  },
});
