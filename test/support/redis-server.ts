/**
 * A real `redis-server` (Debian's package; `.ci/run` installs it when missing) on a free loopback port, with its
 * data in a temporary directory (append-only file on, as in compose.yaml), for the tests of several bot
 * processes. `restart()` stops it (SIGTERM: it saves and exits, as a maintenance restart does) and starts it again
 * on the same port and data; `kill()` and `start()` do the two halves, so a test can hold Redis away.
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "./bot-harness.js";

export interface RedisServer {
  url: string;
  port: number;
  start(): Promise<void>;
  /** SIGTERM (default; Redis saves first) or SIGKILL; resolves once the process is gone. */
  stop(signal?: NodeJS.Signals): Promise<void>;
  restart(): Promise<void>;
  close(): Promise<void>;
}

/** Whether redis-server can run here (the tests that need it say so when it cannot, rather than pass). */
export function haveRedisServer(): boolean {
  return spawnSync("redis-server", ["--version"], { stdio: "ignore" }).status === 0;
}

export async function startRedisServer(): Promise<RedisServer> {
  const port = await freePort();
  const dir = await mkdtemp(join(tmpdir(), "redis-test-"));
  let child: ChildProcess | undefined;
  const server: RedisServer = {
    url: `redis://127.0.0.1:${port}`,
    port,
    async start() {
      const proc = spawn(
        "redis-server",
        [
          "--port",
          String(port),
          "--bind",
          "127.0.0.1",
          "--dir",
          dir,
          "--appendonly",
          "yes",
          "--appendfsync",
          "always",
          "--save",
          "",
          "--protected-mode",
          "no",
        ],
        { stdio: ["ignore", "pipe", "pipe"] },
      );
      child = proc;
      let out = "";
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`redis-server did not start:\n${out}`)), 10_000);
        proc.stdout!.on("data", (chunk: Buffer) => {
          out += chunk.toString();
          if (out.includes("Ready to accept connections")) {
            clearTimeout(timer);
            resolve();
          }
        });
        proc.once("exit", (code) => {
          clearTimeout(timer);
          reject(new Error(`redis-server exited with ${code}:\n${out}`));
        });
      });
      proc.stdout!.resume();
      proc.stderr!.resume();
    },
    async stop(signal = "SIGTERM") {
      const proc = child;
      child = undefined;
      if (!proc || proc.exitCode !== null) return;
      const gone = new Promise((resolve) => proc.once("exit", resolve));
      proc.kill(signal);
      await gone;
    },
    async restart() {
      await server.stop();
      await server.start();
    },
    async close() {
      await server.stop("SIGKILL");
      await rm(dir, { recursive: true, force: true });
    },
  };
  await server.start();
  return server;
}
