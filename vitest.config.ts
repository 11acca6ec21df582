import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Network tests use real loopback servers; a generous per-test timeout keeps a slow CI machine green
    // without hiding hangs (each stream test also has its own client-side timeouts).
    testTimeout: 20_000,
    // The bot-level tests mostly wait on loopback servers and scaled clocks, not on the CPU: three files at once on
    // a 2-core machine halves the suite's time (vitest's default here is one worker) with the same results.
    maxWorkers: 3,
    hookTimeout: 20_000,
  },
});
