/** Punch-out vocabulary shared by the schema, the services and the docs (docs/punchout.md). */
export const PUNCHOUT_PROTOCOLS = ['cxml', 'oci'] as const;
export type PunchoutProtocol = (typeof PUNCHOUT_PROTOCOLS)[number];

/** cXML PunchOutSetupRequest operations; OCI sessions are `create`. `inspect` opens the cart read-only. */
export const PUNCHOUT_OPERATIONS = ['create', 'edit', 'inspect'] as const;
export type PunchoutOperation = (typeof PUNCHOUT_OPERATIONS)[number];

/** How the cXML order message travels back: the form field `cxml-urlencoded` or `cxml-base64`. */
export const PUNCHOUT_FORM_ENCODINGS = ['cxml-urlencoded', 'cxml-base64'] as const;
export type PunchoutFormEncoding = (typeof PUNCHOUT_FORM_ENCODINGS)[number];

/** open: code issued, not yet used; active: code exchanged; transferred: cart sent back (closed). */
export const PUNCHOUT_SESSION_STATES = ['open', 'active', 'transferred', 'expired'] as const;
export type PunchoutSessionState = (typeof PUNCHOUT_SESSION_STATES)[number];

export const PUNCHOUT_LANGUAGES = ['en', 'fr', 'de'] as const;
export type PunchoutLanguage = (typeof PUNCHOUT_LANGUAGES)[number];

/** `fr-FR`, `de_DE`, `en-UK`, `DE` (OCI) → a language the shop speaks, or the fallback. */
export function shopLanguage(tag: string | null | undefined, fallback: PunchoutLanguage): PunchoutLanguage {
  const primary = (tag ?? '').trim().slice(0, 2).toLowerCase();
  return (PUNCHOUT_LANGUAGES as readonly string[]).includes(primary)
    ? (primary as PunchoutLanguage)
    : fallback;
}

/** The start-page code is good for one use within this time; the session itself for SESSION_TTL_MS. */
export const START_CODE_TTL_MS = 5 * 60_000;
export const SESSION_TTL_MS = 8 * 3_600_000;
/** Punch-out documents (setup, order, OCI forms) above this size are refused before parsing. */
export const MAX_PUNCHOUT_DOCUMENT_BYTES = 4 * 1024 * 1024;
/** Log entries are kept this long; bodies longer than MAX_LOGGED_BODY are cut. */
export const PUNCHOUT_LOG_RETENTION_MS = 30 * 86_400_000;
export const MAX_LOGGED_BODY = 256 * 1024;
