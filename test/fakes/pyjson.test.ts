import { describe, expect, it } from "vitest";
import { pyJsonDumps } from "./pyjson.js";

// Expected strings were printed by CPython 3.11's json.dumps on the same values.
describe("pyJsonDumps", () => {
  it("writes floats as Python's repr does", () => {
    const values = [0.1, 1e-5, 1e-7, 0.0001, 123.456, -2.5e-10, 12345678901234.5, 3000000000000000.5, 1e21];
    expect(pyJsonDumps(values)).toBe(
      "[0.1, 1e-05, 1e-07, 0.0001, 123.456, -2.5e-10, 12345678901234.5, 3000000000000000.5, 1e+21]",
    );
  });

  it("sorts keys by code point and escapes everything outside printable ASCII, like jsonify", () => {
    const value = { b: 1, a: 'Grüße 😀 \u007f \u0001 "q" \\ \n\t', "\uffff": 1, "😀": 2 };
    expect(pyJsonDumps(value, { sortKeys: true, compact: true })).toBe(
      '{"a":"Gr\\u00fc\\u00dfe \\ud83d\\ude00 \\u007f \\u0001 \\"q\\" \\\\ \\n\\t","b":1,"\\uffff":1,"\\ud83d\\ude00":2}',
    );
  });

  it("keeps insertion order and Python's default separators when not asked otherwise", () => {
    expect(pyJsonDumps({ z: [true, null], a: false })).toBe('{"z": [true, null], "a": false}');
  });
});
