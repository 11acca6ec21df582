/**
 * A fake Redis on loopback speaking RESP2 over node:net, for the commands ioredis sends at connect (AUTH, SELECT,
 * CLIENT SETNAME/SETINFO, INFO for the ready check) and the ones our storage uses (GET, SET with EX/PX/NX/XX, DEL,
 * EXISTS, RENAME, TTL, SCAN with MATCH/COUNT, KEYS, PING, ECHO, QUIT, DBSIZE, FLUSHDB). It enforces what real
 * Redis does where a client could come to rely on it: replies and error texts as Redis 7 words them, arity, AUTH
 * before anything else when a password is set, 16 databases, lazy expiry, and SCAN's contract (a key present for
 * the whole scan is returned; a batch may be empty before the cursor reaches 0). Anything else gets Redis's
 * `unknown command` error, so a client that starts relying on another command fails here first.
 */
import { once } from "node:events";
import { type AddressInfo, createServer, type Socket } from "node:net";

export interface FakeRedisOptions {
  /** Require `AUTH` with this password (any user name). Default: no password. */
  password?: string;
  /** Clock for expiry, in ms. Default `Date.now`. */
  now?: () => number;
}

export interface FakeRedis {
  /** `redis://127.0.0.1:<port>` */
  url: string;
  port: number;
  /** Every command received, as its arguments (the name as sent), in arrival order. */
  commands: string[][];
  /** Cuts every client connection, as a server restart would; the server keeps listening and keeps its data. */
  dropConnections(): void;
  /**
   * An outage: `false` cuts every connection and destroys new ones at once (as a stopped Redis behind a proxy
   * would), so clients see connection errors until `true`; the data is kept, as after a restart with persistence.
   */
  setAvailable(up: boolean): void;
  close(): Promise<void>;
}

interface Entry {
  value: Buffer;
  /** ms since the epoch, or undefined for no expiry */
  expiresAt: number | undefined;
}

type Reply =
  | { t: "simple"; s: string }
  | { t: "error"; s: string }
  | { t: "int"; n: number }
  | { t: "bulk"; b: Buffer | string | null }
  | { t: "array"; items: Reply[] };

const DATABASES = 16;
const ok: Reply = { t: "simple", s: "OK" };
const bulk = (b: Buffer | string | null): Reply => ({ t: "bulk", b });
const int = (n: number): Reply => ({ t: "int", n });
const err = (s: string): Reply => ({ t: "error", s });
const array = (items: Reply[]): Reply => ({ t: "array", items });

/** Minimum and maximum argument counts, including the command name; -1 for no maximum. */
const ARITY: Record<string, [number, number]> = {
  ping: [1, 2],
  echo: [2, 2],
  auth: [2, 3],
  select: [2, 2],
  info: [1, -1],
  client: [2, -1],
  get: [2, 2],
  set: [3, -1],
  del: [2, -1],
  exists: [2, -1],
  rename: [3, 3],
  ttl: [2, 2],
  scan: [2, -1],
  keys: [2, 2],
  quit: [1, -1],
  dbsize: [1, 1],
  flushdb: [1, 2],
};

export async function startFakeRedis(options: FakeRedisOptions = {}): Promise<FakeRedis> {
  const now = options.now ?? Date.now;
  const dbs: Array<Map<string, Entry>> = Array.from({ length: DATABASES }, () => new Map());
  // SCAN cursors: the id handed out maps to the last key returned, so a scan resumes after it in key order.
  const cursors = new Map<number, { db: number; after: string }>();
  let nextCursor = 1;
  const commands: string[][] = [];
  const sockets = new Set<Socket>();

  const live = (db: Map<string, Entry>, key: string): Entry | undefined => {
    const entry = db.get(key);
    if (entry?.expiresAt !== undefined && entry.expiresAt <= now()) {
      db.delete(key);
      return undefined;
    }
    return entry;
  };
  const liveKeys = (db: Map<string, Entry>): string[] =>
    [...db.keys()].filter((k) => live(db, k) !== undefined).sort();

  let available = true;
  const server = createServer((socket) => {
    if (!available) {
      socket.destroy();
      return;
    }
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.on("error", () => {});
    const state = { db: 0, authed: options.password === undefined, name: undefined as string | undefined };
    let buffer: Buffer = Buffer.alloc(0);
    socket.on("data", (chunk: Buffer) => {
      buffer = buffer.length === 0 ? chunk : Buffer.concat([buffer, chunk]);
      for (;;) {
        let parsed: { args: Buffer[]; rest: Buffer } | "incomplete";
        try {
          parsed = parseCommand(buffer);
        } catch (error) {
          socket.end(encode(err(`ERR Protocol error: ${(error as Error).message}`)));
          return;
        }
        if (parsed === "incomplete") return;
        buffer = parsed.rest;
        if (parsed.args.length === 0) continue;
        const args = parsed.args;
        commands.push(args.map((a) => a.toString("utf8")));
        const name = args[0]!.toString("utf8").toLowerCase();
        if (name === "quit") {
          socket.end(encode(ok));
          return;
        }
        socket.write(encode(execute(name, args, state)));
      }
    });
  });

  function execute(
    name: string,
    args: Buffer[],
    state: { db: number; authed: boolean; name?: string },
  ): Reply {
    const arity = ARITY[name];
    if (arity === undefined) {
      const rest = args
        .slice(1)
        .map((a) => `'${a.toString("utf8")}'`)
        .join(" ");
      return err(`ERR unknown command '${args[0]!.toString("utf8")}', with args beginning with: ${rest}`);
    }
    if (args.length < arity[0] || (arity[1] !== -1 && args.length > arity[1])) {
      return err(`ERR wrong number of arguments for '${name}' command`);
    }
    const s = (i: number) => args[i]!.toString("utf8");
    if (!state.authed && name !== "auth") return err("NOAUTH Authentication required.");
    const db = dbs[state.db]!;
    switch (name) {
      case "ping":
        return args.length === 2 ? bulk(args[1]!) : { t: "simple", s: "PONG" };
      case "echo":
        return bulk(args[1]!);
      case "auth": {
        if (options.password === undefined) {
          return err(
            "ERR AUTH <password> called without any password configured for the default user. " +
              "Are you sure your configuration is correct?",
          );
        }
        if (s(args.length - 1) !== options.password) {
          return err("WRONGPASS invalid username-password pair or user is disabled.");
        }
        state.authed = true;
        return ok;
      }
      case "select": {
        const index = parseInteger(s(1));
        if (index === undefined) return err("ERR value is not an integer or out of range");
        if (index < 0 || index >= DATABASES) return err("ERR DB index is out of range");
        state.db = index;
        return ok;
      }
      case "info": {
        const keyspace = dbs
          .map((d, i) => [i, liveKeys(d).length] as const)
          .filter(([, n]) => n > 0)
          .map(([i, n]) => `db${i}:keys=${n},expires=0,avg_ttl=0`);
        const text = [
          "# Server",
          "redis_version:7.2.0",
          "redis_mode:standalone",
          "",
          "# Persistence",
          "loading:0",
          "",
          "# Keyspace",
          ...keyspace,
          "",
        ].join("\r\n");
        return bulk(text);
      }
      case "client": {
        const sub = s(1).toLowerCase();
        if (sub === "setname" && args.length === 3) {
          if (/\s/.test(s(2)))
            return err("ERR Client names cannot contain spaces, newlines or special characters.");
          state.name = s(2);
          return ok;
        }
        if (sub === "getname" && args.length === 2) return bulk(state.name ?? null);
        if (sub === "setinfo" && args.length === 4) return ok;
        return err(`ERR unknown subcommand or wrong number of arguments for '${s(1)}'. Try CLIENT HELP.`);
      }
      case "get":
        return bulk(live(db, s(1))?.value ?? null);
      case "set": {
        let expiresAt: number | undefined;
        let condition: "nx" | "xx" | undefined;
        for (let i = 3; i < args.length; i++) {
          const option = s(i).toLowerCase();
          if ((option === "ex" || option === "px") && expiresAt === undefined && i + 1 < args.length) {
            const amount = parseInteger(s(++i));
            if (amount === undefined) return err("ERR value is not an integer or out of range");
            if (amount <= 0) return err("ERR invalid expire time in 'set' command");
            expiresAt = now() + (option === "ex" ? amount * 1000 : amount);
          } else if ((option === "nx" || option === "xx") && condition === undefined) {
            condition = option;
          } else {
            return err("ERR syntax error");
          }
        }
        const exists = live(db, s(1)) !== undefined;
        if ((condition === "nx" && exists) || (condition === "xx" && !exists)) return bulk(null);
        db.set(s(1), { value: Buffer.from(args[2]!), expiresAt });
        return ok;
      }
      case "del":
      case "exists": {
        let count = 0;
        for (let i = 1; i < args.length; i++) {
          if (live(db, s(i)) === undefined) continue;
          count++;
          if (name === "del") db.delete(s(i));
        }
        return int(count);
      }
      case "rename": {
        const entry = live(db, s(1));
        if (entry === undefined) return err("ERR no such key");
        db.delete(s(1));
        db.set(s(2), entry);
        return ok;
      }
      case "ttl": {
        const entry = live(db, s(1));
        if (entry === undefined) return int(-2);
        if (entry.expiresAt === undefined) return int(-1);
        return int(Math.round((entry.expiresAt - now()) / 1000));
      }
      case "scan": {
        const start = parseInteger(s(1));
        if (start === undefined || start < 0) return err("ERR invalid cursor");
        let match: RegExp | undefined;
        let count = 10;
        for (let i = 2; i < args.length; i += 2) {
          const option = s(i).toLowerCase();
          if (i + 1 >= args.length) return err("ERR syntax error");
          if (option === "match") match = globToRegExp(s(i + 1));
          else if (option === "count") {
            const n = parseInteger(s(i + 1));
            if (n === undefined) return err("ERR value is not an integer or out of range");
            if (n < 1) return err("ERR syntax error");
            count = n;
          } else return err("ERR syntax error");
        }
        const resume = start === 0 ? undefined : cursors.get(start);
        cursors.delete(start);
        const after = resume?.db === state.db ? resume.after : undefined;
        const keys = liveKeys(db).filter((k) => after === undefined || k > after);
        const visited = keys.slice(0, count);
        const last = visited.at(-1);
        let cursor = 0;
        if (last !== undefined && visited.length < keys.length) {
          cursor = nextCursor++;
          cursors.set(cursor, { db: state.db, after: last });
        }
        const found = visited.filter((k) => match === undefined || match.test(k));
        return array([bulk(String(cursor)), array(found.map((k) => bulk(k)))]);
      }
      case "keys": {
        const pattern = globToRegExp(s(1));
        return array(
          liveKeys(db)
            .filter((k) => pattern.test(k))
            .map((k) => bulk(k)),
        );
      }
      case "dbsize":
        return int(liveKeys(db).length);
      case "flushdb":
        db.clear();
        return ok;
      default:
        return err(`ERR unknown command '${name}'`);
    }
  }

  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const port = (server.address() as AddressInfo).port;
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    commands,
    dropConnections() {
      for (const socket of sockets) socket.destroy();
    },
    setAvailable(up) {
      available = up;
      if (!up) for (const socket of sockets) socket.destroy();
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** One command from the front of `buffer`: a RESP array of bulk strings, or an inline command line. */
function parseCommand(buffer: Buffer): { args: Buffer[]; rest: Buffer } | "incomplete" {
  if (buffer.length === 0) return "incomplete";
  const lineEnd = buffer.indexOf("\r\n");
  if (lineEnd === -1) return "incomplete";
  if (buffer[0] !== 0x2a /* '*' */) {
    const line = buffer.subarray(0, lineEnd).toString("utf8").trim();
    const args = line === "" ? [] : line.split(/\s+/).map((a) => Buffer.from(a));
    return { args, rest: buffer.subarray(lineEnd + 2) };
  }
  const count = parseInteger(buffer.subarray(1, lineEnd).toString("latin1"));
  if (count === undefined) throw new Error("invalid multibulk length");
  const args: Buffer[] = [];
  let at = lineEnd + 2;
  for (let i = 0; i < count; i++) {
    const headerEnd = buffer.indexOf("\r\n", at);
    if (headerEnd === -1) return "incomplete";
    if (buffer[at] !== 0x24 /* '$' */) {
      throw new Error(`expected '$', got '${String.fromCharCode(buffer[at] ?? 0)}'`);
    }
    const length = parseInteger(buffer.subarray(at + 1, headerEnd).toString("latin1"));
    if (length === undefined || length < 0) throw new Error("invalid bulk length");
    const start = headerEnd + 2;
    if (buffer.length < start + length + 2) return "incomplete";
    args.push(Buffer.from(buffer.subarray(start, start + length)));
    at = start + length + 2;
  }
  return { args, rest: buffer.subarray(at) };
}

function encode(reply: Reply): Buffer {
  switch (reply.t) {
    case "simple":
      return Buffer.from(`+${reply.s}\r\n`);
    case "error":
      return Buffer.from(`-${reply.s}\r\n`);
    case "int":
      return Buffer.from(`:${reply.n}\r\n`);
    case "bulk": {
      if (reply.b === null) return Buffer.from("$-1\r\n");
      const body = typeof reply.b === "string" ? Buffer.from(reply.b) : reply.b;
      return Buffer.concat([Buffer.from(`$${body.length}\r\n`), body, Buffer.from("\r\n")]);
    }
    case "array":
      return Buffer.concat([Buffer.from(`*${reply.items.length}\r\n`), ...reply.items.map(encode)]);
  }
}

function parseInteger(text: string): number | undefined {
  return /^-?\d+$/.test(text) && Number.isSafeInteger(Number(text)) ? Number(text) : undefined;
}

/** Redis glob: `*`, `?`, `[abc]`, `[^a-z]`, and `\` escaping the next character. */
function globToRegExp(glob: string): RegExp {
  let source = "";
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === "\\" && i + 1 < glob.length) source += escapeRegExp(glob[++i]!);
    else if (c === "*") source += "[\\s\\S]*";
    else if (c === "?") source += "[\\s\\S]";
    else if (c === "[") {
      const close = glob.indexOf("]", i + 2);
      if (close === -1) {
        source += "\\[";
        continue;
      }
      let body = glob.slice(i + 1, close);
      const negate = body.startsWith("^");
      if (negate) body = body.slice(1);
      source += `[${negate ? "^" : ""}${body.replace(/[\\\]]/g, "\\$&")}]`;
      i = close;
    } else source += escapeRegExp(c);
  }
  return new RegExp(`^${source}$`);
}

function escapeRegExp(c: string): string {
  return c.replace(/[.*+?^${}()|[\]\\/-]/g, "\\$&");
}
