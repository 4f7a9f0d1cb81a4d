import { MAX_LOGGED_BODY } from '../punchout-terms';

/**
 * What the punch-out log must never keep (docs/punchout.md, "The punch-out log"): cXML shared secrets and
 * MACs, OCI passwords and tokens, secrets in JSON bodies, and the one-time start codes and shop keys that
 * open a session. A cXML document can travel raw, HTML-escaped (a form field in a page) or URL-encoded (a
 * form post), so the element patterns accept all three spellings of `<` and `>`.
 */
const LT = '(?:<|&lt;|%3C)';
const GT = '(?:>|&gt;|%3E)';
const SLASH = '(?:/|%2F)';

/** The element's content up to its closing tag, or to the end of the text when a cut removed that tag. */
const element = (name: string) =>
  new RegExp(`(${LT}${name}\\b[^<>]*?${GT})[\\s\\S]*?(?=${LT}${SLASH}${name}${GT}|$)`, 'gi');

const SECRETS: readonly [RegExp, string][] = [
  ...['SharedSecret', 'CredentialMac', 'DigitalSignature'].map((name): [RegExp, string] => [
    element(name),
    '$1[redacted]',
  ]),
  // query strings and form bodies (also inside a URL written in XML, `&amp;`, or URL-encoded in another
  // parameter): PASSWORD=…, sap-password=…, access_token=…, client_secret=…
  [/((?:^|[?&;\s]|%26|%3F)[\w~.-]*(?:password|passwd|secret|token)(?:=|%3D))[^&\s"'<]*/gi, '$1[redacted]'],
  // JSON: "password", "sharedSecret", "accessToken", "client_secret", "apiKey": strings with escapes, or bare values
  [
    /("[\w-]*(?:password|passwd|secret|token|apikey|api_key)"\s*:\s*)(?:"(?:[^"\\]|\\.)*"|[^\s,}\]]+)/gi,
    '$1"[redacted]"',
  ],
  // the start-page code (one use, 5 minutes) and the shop's session key open a session: not for the log
  [/((?:[?&;]|%3F|%26)code(?:=|%3D))[^&\s"'<]*/gi, '$1[redacted]'],
  [/(\/punchout\/(?:start|sessions|shop)\/)(?!current\b)[A-Za-z0-9_-]{16,}/g, '$1[redacted]'],
];

/**
 * The body cut at MAX_LOGGED_BODY characters (said so at the end), then with its secrets replaced: cutting
 * first bounds the work, and every pattern also covers a value whose end the cut removed.
 */
export function redact(body: string): string {
  const cut = body.length > MAX_LOGGED_BODY;
  let out = cut ? body.slice(0, MAX_LOGGED_BODY) : body;
  for (const [pattern, replacement] of SECRETS) out = out.replace(pattern, replacement);
  return cut ? `${out}\n[cut: ${body.length} characters in all]` : out;
}
