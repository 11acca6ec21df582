/** Keeping secrets out of text: URLs with credentials, and the secrets a configuration holds. */

const USERINFO = /\b([a-z][a-z0-9+.-]*:\/\/)([^/@\s:]*)(?::([^/@\s]*))?@/gi;

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
