/**
 * Child process for the crash test: writes the crash payloads through FileStorage in a tight loop, several keys at
 * once, until it is killed. Prints `ready` once the first round of writes is on disk.
 * Usage: node --import tsx crash-writer.ts <dir> <run>
 */
import { FileStorage } from "../../src/store/index.js";
import { CRASH_KEYS, makePayload } from "./crash-payload.js";

const [dir, runText] = process.argv.slice(2);
if (dir === undefined || runText === undefined) throw new Error("usage: crash-writer.ts <dir> <run>");
const run = Number(runText);
const storage = await FileStorage.open(dir);
let seq = 0;
for (let round = 0; ; round++) {
  await Promise.all(CRASH_KEYS.map((key) => storage.write(key, makePayload(key, run, seq++))));
  if (round === 0) process.stdout.write("ready\n");
}
