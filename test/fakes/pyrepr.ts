/**
 * Python 3's `repr(bytes)`, byte for byte: the hub writes every upstream NDJSON line as `data: ` + repr(line),
 * so this is both the fake hub's encoder and the oracle the client's decoder is checked against.
 */
export function pyBytesRepr(bytes: Uint8Array): string {
  // Python prefers single quotes and switches to double quotes only when that saves escaping.
  const quote = bytes.includes(0x27) && !bytes.includes(0x22) ? '"' : "'";
  let out = `b${quote}`;
  for (const byte of bytes) {
    const char = String.fromCharCode(byte);
    if (char === quote || char === "\\") out += `\\${char}`;
    else if (byte === 0x09) out += "\\t";
    else if (byte === 0x0a) out += "\\n";
    else if (byte === 0x0d) out += "\\r";
    else if (byte < 0x20 || byte >= 0x7f) out += `\\x${byte.toString(16).padStart(2, "0")}`;
    else out += char;
  }
  return out + quote;
}
