import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { MAX_PUNCHOUT_DOCUMENT_BYTES } from '../punchout-terms';

/**
 * Reading and writing cXML documents safely. A document is refused before parsing when it carries an
 * internal DTD subset or an entity declaration (external entities, "billion laughs"): cXML needs neither,
 * and the DOCTYPE's SYSTEM URL is never fetched. Well-formedness is checked by the parser's validator, so a
 * broken document is a 406, never an exception.
 */

/** cXML status codes this service answers with (cXML User's Guide, "Status"). */
export const CXML_STATUS_TEXT = {
  200: 'OK',
  201: 'Accepted',
  204: 'No Content',
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  406: 'Not Acceptable',
  409: 'Conflict',
  412: 'Precondition Failed',
  417: 'Expectation Failed',
  450: 'Not Implemented',
  500: 'Internal Server Error',
  550: 'Unable to reach cXML server',
  560: 'Temporary server error',
} as const;
export type CxmlStatusCode = keyof typeof CXML_STATUS_TEXT;

/** A refusal: the cXML status to answer with, and the message for the Status element's content. */
export interface CxmlRefusal {
  ok: false;
  code: CxmlStatusCode;
  message: string;
}
export const refuse = (code: CxmlStatusCode, message: string): CxmlRefusal => ({ ok: false, code, message });

/** A parsed element: attributes as `@name`, text as `#text`, children by name (arrays for repeating ones). */
export type XmlNode = { [name: string]: XmlValue };
export type XmlValue = string | XmlNode | XmlValue[];

/** Elements that may repeat anywhere in the documents read here: always arrays, so readers need no guessing. */
const REPEATING = new Set([
  'Credential',
  'Extrinsic',
  'ItemOut',
  'ItemIn',
  'Classification',
  'Contact',
  'Email',
  'Phone',
  'Street',
  'DeliverTo',
  'Segment',
  'Comments',
  'Distribution',
  'SelectedItem',
  'Name',
]);

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  textNodeName: '#text',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
  // declared entities are refused before parsing; the five predefined XML entities and character
  // references are ordinary text (`AT&amp;T`, URLs with `&amp;`): at most one per byte of the document
  processEntities: {
    enabled: true,
    maxEntityCount: 0,
    maxTotalExpansions: MAX_PUNCHOUT_DOCUMENT_BYTES,
    maxExpandedLength: MAX_PUNCHOUT_DOCUMENT_BYTES,
  },
  isArray: (name) => REPEATING.has(name),
  maxNestedTags: 64,
});

const DOCTYPE =
  /<!DOCTYPE\s+([A-Za-z_][\w.-]*)(?:\s+(?:SYSTEM|PUBLIC)\s+("[^"]*"|'[^']*')(?:\s+("[^"]*"|'[^']*'))?)?\s*(\[?)/i;

export interface CxmlEnvelope {
  /** the root element `cXML` */
  root: XmlNode;
  payloadId: string;
  timestamp: string;
  lang: string | null;
  version: string | null;
}

/** Parses a cXML document: 406 when it cannot be read safely, 400 when it is not a cXML envelope. */
export function readCxml(text: string): { ok: true; value: CxmlEnvelope } | CxmlRefusal {
  if (/<!ENTITY/i.test(text)) return refuse(406, 'Entity declarations are not accepted');
  const doctype = DOCTYPE.exec(text);
  if (doctype?.[4] === '[') return refuse(406, 'An internal DTD subset is not accepted');
  if (/<!DOCTYPE/i.test(text) && !doctype) return refuse(406, 'The DOCTYPE declaration is malformed');
  const valid = XMLValidator.validate(text);
  if (valid !== true) {
    const { msg, line } = valid.err;
    return refuse(406, `The document is not well-formed XML (line ${line}: ${msg})`);
  }
  let parsed: XmlNode;
  try {
    parsed = parser.parse(text) as XmlNode;
  } catch (err) {
    return refuse(
      406,
      `The document could not be read: ${err instanceof Error ? err.message : 'parse error'}`,
    );
  }
  const root = parsed.cXML;
  if (!isNode(root)) {
    const found = Object.keys(parsed).find((k) => !k.startsWith('#') && !k.startsWith('?'));
    return refuse(400, `The root element must be cXML${found ? `, not ${found}` : ''}`);
  }
  const payloadId = attr(root, 'payloadID');
  const timestamp = attr(root, 'timestamp');
  if (!payloadId) return refuse(400, 'cXML/@payloadID is required');
  if (!timestamp) return refuse(400, 'cXML/@timestamp is required');
  return {
    ok: true,
    value: { root, payloadId, timestamp, lang: attr(root, 'xml:lang'), version: attr(root, 'version') },
  };
}

export const isNode = (v: XmlValue | undefined): v is XmlNode =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** The first child element of that name. */
export function child(node: XmlNode | undefined, name: string): XmlNode | undefined {
  const v = node?.[name];
  const first = Array.isArray(v) ? v[0] : v;
  if (typeof first === 'string') return { '#text': first };
  return isNode(first) ? first : undefined;
}

/** Every child element of that name. */
export function children(node: XmlNode | undefined, name: string): XmlNode[] {
  const v = node?.[name];
  const all = v === undefined ? [] : Array.isArray(v) ? v : [v];
  return all.map((x) => (typeof x === 'string' ? { '#text': x } : x)).filter(isNode);
}

/** Follows a path of first children: `path(root, 'Header', 'Sender', 'Credential')`. */
export function path(node: XmlNode | undefined, ...names: string[]): XmlNode | undefined {
  let at = node;
  for (const name of names) at = child(at, name);
  return at;
}

/** The element's own text, trimmed (mixed content: the text parts joined); null when empty. */
export function text(node: XmlNode | undefined): string | null {
  const t = node?.['#text'];
  const joined = Array.isArray(t) ? t.filter((x) => typeof x === 'string').join(' ') : t;
  const value = typeof joined === 'string' ? joined.trim() : '';
  return value === '' ? null : value;
}

export function attr(node: XmlNode | undefined, name: string): string | null {
  const v = node?.[`@${name}`];
  return typeof v === 'string' && v.trim() !== '' ? v.trim() : null;
}

/** Text escaped for XML content and attribute values. */
export const esc = (value: string | number): string =>
  String(value)
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&apos;');

export const CXML_VERSION = '1.2.060';
export const CXML_DTD = `http://xml.cxml.org/schemas/cXML/${CXML_VERSION}/cXML.dtd`;

/** ISO 8601 with an explicit offset, as cXML asks (`2026-11-30T09:15:02+00:00`). */
export const cxmlTimestamp = (at: number): string =>
  new Date(at).toISOString().replace(/\.\d{3}Z$/, '+00:00');

/** `<epoch ms>.<random>@<host>`: unique per document, as the cXML payloadID convention recommends. */
export function newPayloadId(at: number, host: string): string {
  const random = Array.from(crypto.getRandomValues(new Uint8Array(8)), (b) =>
    b.toString(16).padStart(2, '0'),
  );
  return `${at}.${random.join('')}@${host}`;
}

/** A complete cXML document around `body` (Header, Request, Response or Message elements). */
export function cxmlDocument(
  body: string,
  o: { at: number; host: string; lang?: string; payloadId?: string },
) {
  const payloadId = o.payloadId ?? newPayloadId(o.at, o.host);
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE cXML SYSTEM "${CXML_DTD}">\n` +
    `<cXML payloadID="${esc(payloadId)}" timestamp="${cxmlTimestamp(o.at)}" xml:lang="${esc(o.lang ?? 'en-US')}" version="${CXML_VERSION}">` +
    `${body}</cXML>\n`
  );
}

/** A `Response` carrying only a Status (every refusal, and plain acknowledgements). */
export function statusResponse(
  code: CxmlStatusCode,
  message: string,
  o: { at: number; host: string; lang?: string },
): string {
  const content = message ? esc(message) : '';
  return cxmlDocument(
    `<Response><Status code="${code}" text="${CXML_STATUS_TEXT[code]}" xml:lang="en">${content}</Status></Response>`,
    o,
  );
}
