#!/usr/bin/env node
import { existsSync } from "node:fs";
import { config as loadDotenv } from "dotenv";
import { invokedAs, runCli } from "./cli.js";

loadDotenv({ quiet: true });

const controller = new AbortController();
// First Ctrl-C stops the current answer (what was printed stays) or the wait for a prompt on stdin; a second one
// exits at once.
process.once("SIGINT", () => {
  controller.abort(new Error("interrupted"));
  process.once("SIGINT", () => process.exit(130));
});

const code = await runCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  stdin: process.stdin,
  env: process.env,
  name: invokedAs(process.env, process.argv[1], process.cwd()),
  signal: controller.signal,
  envFileMissing: () => !existsSync(".env"),
});
process.exitCode = code;
