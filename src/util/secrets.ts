/** Keeping secrets out of text: URLs with credentials, and the secrets a configuration holds. */

// Every part bounded, and the scheme anchored (not after a scheme character): linear on any text, however long
// and however crafted (an unbounded `[a-z0-9+.-]*` before `://` is quadratic on "a.a.a.…").
const USERINFO = /(?<![a-z0-9+.-])([a-z][a-z0-9+.-]{0,31}:\/\/)([^/@\s:]{0,256})(?::([^/@\s]{0,256}))?@/gi;

/** `http://user:pass@host/x` → `http://user:***@host/x` (a URL without a password is left alone). */
export function maskUrl(text: string): string {
  return text.replace(USERINFO, (_m, scheme: string, user: string, pass: string | undefined) =>
    pass === undefined ? `${scheme}${user}@` : `${scheme}${user}:***@`,
  );
}

/** The password in a URL's userinfo (decoded), if it has one. */
export function urlPassword(url: string | undefined): string | undefined {
  if (!url || !URL.canParse(url)) return undefined;
  const pass = new URL(url).password;
  return pass === "" ? undefined : decodeURIComponent(pass);
}

/**
 * A setting's value as it may be echoed in a configuration error: a URL-like value with an `@` shows nothing of
 * what comes before its last `@` (a malformed URL must not leak its password either).
 */
export function maskSettingValue(value: string): string {
  const at = value.lastIndexOf("@");
  if (at < 0) return maskUrl(value);
  const scheme = /^[a-z][a-z0-9+.-]{0,31}:\/*/i.exec(value)?.[0] ?? "";
  return `${scheme}***${value.slice(at)}`;
}

/** `user:password` of a URL, base64 as in a Basic authorization header, if the URL has a password. */
export function urlUserinfoBase64(url: string | undefined): string | undefined {
  if (!url || !URL.canParse(url)) return undefined;
  const u = new URL(url);
  if (u.password === "") return undefined;
  return Buffer.from(`${decodeURIComponent(u.username)}:${decodeURIComponent(u.password)}`, "utf8").toString(
    "base64",
  );
}
