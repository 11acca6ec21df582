/**
 * How far V8 lets the heap grow past what is alive before it collects the old generation. By default it picks a
 * factor of up to 4 while the program is busy: the bot streaming to 1,000 chats keeps about 45-60 MB alive, and
 * V8 let the old generation fill to 190 MB of mostly garbage before a full collection (peak RSS 310-380 MB,
 * `npm run bench`, part 2). A factor of 1.5 keeps the peak near 200 MB for a few percent more CPU. Set once at
 * start (the flag is read at every collection); an operator's own `--heap-growing-percent` wins.
 */
import { setFlagsFromString } from "node:v8";

export const HEAP_GROWING_PERCENT = 50;

export function boundHeapGrowth(percent = HEAP_GROWING_PERCENT): void {
  if (process.execArgv.some((a) => a.startsWith("--heap-growing-percent"))) return;
  setFlagsFromString(`--heap-growing-percent=${percent}`);
}
