/**
 * Python's `json.dumps` with `ensure_ascii=True` (its default, and Flask's): the hub re-serialises every
 * non-stream upstream reply with `jsonify`, which also sorts keys and drops the spaces.
 *
 * Numbers follow what Python prints after parsing Go's output: Go writes integral floats without a fraction,
 * so Python reads them back as ints; other floats take Python's `repr` form (`1e-05`, `1.5e+16`).
 */
export function pyJsonDumps(value: unknown, opts: { sortKeys?: boolean; compact?: boolean } = {}): string {
  const [itemSep, keySep] = opts.compact ? [",", ":"] : [", ", ": "];
  const dump = (v: unknown): string => {
    if (v === null || v === undefined) return "null";
    if (typeof v === "boolean") return v ? "true" : "false";
    if (typeof v === "number") return pyNumber(v);
    if (typeof v === "string") return pyString(v);
    if (Array.isArray(v)) return `[${v.map(dump).join(itemSep)}]`;
    const entries = Object.entries(v as Record<string, unknown>);
    if (opts.sortKeys) entries.sort(([a], [b]) => compareCodePoints(a, b));
    return `{${entries.map(([k, x]) => `${pyString(k)}${keySep}${dump(x)}`).join(itemSep)}}`;
  };
  return dump(value);
}

const SHORT_ESCAPES: Record<string, string> = {
  '"': '\\"',
  "\\": "\\\\",
  "\n": "\\n",
  "\r": "\\r",
  "\t": "\\t",
  "\b": "\\b",
  "\f": "\\f",
};

function pyString(s: string): string {
  // Iterating UTF-16 code units writes astral characters as surrogate pairs, as Python does.
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const ch = s[i]!;
    const code = s.charCodeAt(i);
    out +=
      SHORT_ESCAPES[ch] ?? (code < 0x20 || code > 0x7e ? `\\u${code.toString(16).padStart(4, "0")}` : ch);
  }
  return `${out}"`;
}

function pyNumber(x: number): string {
  if (Number.isNaN(x)) return "NaN";
  if (!Number.isFinite(x)) return x > 0 ? "Infinity" : "-Infinity";
  if (Number.isInteger(x) && Math.abs(x) < 1e21) return String(x);
  // toExponential() gives the shortest round-tripping digits, the same digits Python's repr picks.
  const [mantissa = "", expText = "0"] = x.toExponential().split("e");
  const exp = Number(expText);
  const sign = mantissa.startsWith("-") ? "-" : "";
  const digits = mantissa.replace(/[-.]/g, "");
  if (exp < -4 || exp >= 16) {
    const body = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    return `${sign}${body}e${exp < 0 ? "-" : "+"}${String(Math.abs(exp)).padStart(2, "0")}`;
  }
  if (exp < 0) return `${sign}0.${"0".repeat(-exp - 1)}${digits}`;
  const whole = digits.slice(0, exp + 1).padEnd(exp + 1, "0");
  return `${sign}${whole}.${digits.slice(exp + 1) || "0"}`;
}

function compareCodePoints(a: string, b: string): number {
  const x = Array.from(a, (c) => c.codePointAt(0)!);
  const y = Array.from(b, (c) => c.codePointAt(0)!);
  for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i]! - y[i]!;
  return x.length - y.length;
}
