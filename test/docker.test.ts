/** The Docker recipe as far as it can be checked without an engine: what it copies exists, secrets stay out. */
import { existsSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { HEALTH_CALL_TIMEOUT_MS, HEALTH_CALLS } from "../src/cli/cli.js";

const root = new URL("../", import.meta.url);
const read = (name: string) => readFileSync(new URL(name, root), "utf8");

describe("the Docker recipe", () => {
  it("copies only files that exist in a checkout (the build context)", () => {
    const sources = [...read("Dockerfile").matchAll(/^COPY (?!--from)(.+) \S+$/gm)].flatMap((m) =>
      m[1]!.split(/\s+/),
    );
    expect(sources.length).toBeGreaterThan(3);
    for (const source of sources) expect(existsSync(new URL(source, root)), source).toBe(true);
  });

  it("keeps secrets and local data out of the image, and .env.example does not override the image's DATA_DIR", () => {
    const ignored = read(".dockerignore").split("\n");
    for (const entry of [".env", "data", "node_modules"]) expect(ignored).toContain(entry);
    expect(read(".env.example")).not.toMatch(/^DATA_DIR=/m);
    expect(read("Dockerfile")).toMatch(/DATA_DIR=\/data/);
  });

  it("gives the bot more time to stop than its own grace period", () => {
    const grace = Number(/SHUTDOWN_GRACE_MS=(\d+)/.exec(read(".env.example"))?.[1]);
    const compose = Number(/stop_grace_period: (\d+)s/.exec(read("compose.yaml"))?.[1]) * 1000;
    expect(compose).toBeGreaterThan(grace);
  });

  it("several processes (deploy/cluster): the proxy's upstreams are the compose file's bot services, each stopping in time", () => {
    const compose = read("deploy/cluster/compose.yaml");
    const bots = [...compose.matchAll(/^ {2}(bot\d+): \*bot$/gm)].map((m) => m[1]);
    expect(bots.length).toBeGreaterThan(1);
    const upstreams = /reverse_proxy ((?:bot\d+:8080 ?)+)/
      .exec(read("deploy/cluster/Caddyfile"))?.[1]
      ?.trim()
      .split(" ");
    expect(upstreams).toEqual(bots.map((b) => `${b}:8080`));
    expect(compose).toMatch(/WEBHOOK_PORT: "8080"/);
    expect(read("deploy/cluster/Caddyfile")).toMatch(/health_uri \/healthz/);
    const grace = Number(/SHUTDOWN_GRACE_MS=(\d+)/.exec(read(".env.example"))?.[1]);
    expect(Number(/stop_grace_period: (\d+)s/.exec(compose)?.[1]) * 1000).toBeGreaterThan(grace);
  });

  it("checks that the bot polls Telegram, with a timeout longer than the calls the check makes", () => {
    const healthcheck = /^HEALTHCHECK (.+) \\\n\s+CMD (.+)$/m.exec(read("Dockerfile"));
    expect(healthcheck, "a HEALTHCHECK … CMD […] on two lines").not.toBeNull();
    expect(JSON.parse(healthcheck![2]!)).toEqual(["node", "dist/cli/main.js", "health", "--bot"]);
    const seconds = (name: string) => Number(new RegExp(`--${name}=(\\d+)s`).exec(healthcheck![1]!)?.[1]);
    // Node's start-up and the heartbeat's read get 2 s beside the calls.
    expect(seconds("timeout") * 1000).toBeGreaterThanOrEqual(HEALTH_CALLS * HEALTH_CALL_TIMEOUT_MS + 2_000);
    // A bot still starting (retrying Telegram) is not counted as failing.
    const startup = Number(/STARTUP_TIMEOUT_MS=(\d+)/.exec(read(".env.example"))?.[1]);
    expect(seconds("start-period") * 1000).toBeGreaterThanOrEqual(startup);
  });
});
