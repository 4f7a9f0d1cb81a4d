import { PUNCHOUT_OPERATIONS, type PunchoutOperation } from '../punchout-terms';
import {
  attr,
  type CxmlEnvelope,
  type CxmlRefusal,
  child,
  children,
  path,
  refuse,
  text,
  type XmlNode,
} from './cxml-document';

/**
 * What a cXML PunchOutSetupRequest says, read in the order a procurement system expects its refusals:
 * the Sender first (401 before anything else is told), then the request itself. Pure: the partner lookup,
 * the secret and the user are the service's business (services/punchout/cxml-setup.ts).
 */
export interface CxmlCredential {
  domain: string;
  identity: string;
}

export interface SetupSender extends CxmlCredential {
  secret: string | null;
}

export interface SetupRequest {
  operation: PunchoutOperation;
  buyerCookie: string;
  /** BrowserFormPost/URL as sent (trimmed); the public-URL rule is the service's */
  browserFormPost: string | null;
  person: { email: string | null; name: string | null };
  /** edit/inspect: the ItemOut lines to reopen (create ignores ItemOut, as the specification intends) */
  lines: { sku: string; quantity: number }[];
  /** Extrinsics by name (first of each), for the session's record */
  extrinsics: Record<string, string>;
  shipTo: string | null;
}

/** ItemOut lines an edit or inspect request may reopen; a cart holds at most 1,000 lines per call. */
export const MAX_SETUP_LINES = 1_000;
const MAX_EXTRINSICS = 20;
const EMAIL = /^[^\s@<>]+@[^\s@<>]+$/;

const credentials = (node: XmlNode | undefined): CxmlCredential[] =>
  children(node, 'Credential').flatMap((c) => {
    const domain = attr(c, 'domain');
    const identity = text(child(c, 'Identity'));
    return domain && identity ? [{ domain, identity }] : [];
  });

/** Header From and To credentials (each may list several), and the Sender with its SharedSecret. */
export function readHeader(envelope: CxmlEnvelope): {
  sender: SetupSender | null;
  from: CxmlCredential[];
  to: CxmlCredential[];
} {
  const header = child(envelope.root, 'Header');
  const senderCredential = path(header, 'Sender', 'Credential');
  const domain = attr(senderCredential, 'domain');
  const identity = text(child(senderCredential, 'Identity'));
  return {
    sender:
      domain && identity ? { domain, identity, secret: text(child(senderCredential, 'SharedSecret')) } : null,
    from: credentials(child(header, 'From')),
    to: credentials(child(header, 'To')),
  };
}

/** The PunchOutSetupRequest's content; refusals carry the cXML code and a message naming the element. */
export function readSetupRequest(envelope: CxmlEnvelope): { ok: true; value: SetupRequest } | CxmlRefusal {
  const request = child(envelope.root, 'Request');
  if (!request) {
    const kind = ['Message', 'Response'].find((k) => child(envelope.root, k));
    return refuse(
      400,
      kind
        ? `A ${kind} is not a request: post a PunchOutSetupRequest here`
        : 'The document carries no Request',
    );
  }
  const setup = child(request, 'PunchOutSetupRequest');
  if (!setup) {
    const found = Object.keys(request).find((k) => !k.startsWith('@') && !k.startsWith('#'));
    return refuse(450, `${found ?? 'This request'} is not handled here; post a PunchOutSetupRequest`);
  }
  const operation = attr(setup, 'operation');
  if (!operation || !(PUNCHOUT_OPERATIONS as readonly string[]).includes(operation))
    return refuse(400, 'PunchOutSetupRequest/@operation must be create, edit or inspect');
  const buyerCookie = text(child(setup, 'BuyerCookie'));
  if (!buyerCookie) return refuse(400, 'PunchOutSetupRequest/BuyerCookie is required');
  if (buyerCookie.length > 250) return refuse(400, 'BuyerCookie is longer than 250 characters');
  const extrinsics: Record<string, string> = {};
  for (const e of children(setup, 'Extrinsic').slice(0, MAX_EXTRINSICS)) {
    const name = attr(e, 'name');
    const value = text(e);
    if (name && value && !(name in extrinsics)) extrinsics[name] = value.slice(0, 200);
  }
  const lines = (operation === 'create' ? [] : children(setup, 'ItemOut')).map(itemOutLine);
  const bad = lines.indexOf(null);
  if (bad >= 0)
    return refuse(400, `ItemOut ${bad + 1} needs ItemID/SupplierPartID and a whole, positive @quantity`);
  if (lines.length > MAX_SETUP_LINES)
    return refuse(400, `At most ${MAX_SETUP_LINES} ItemOut lines can be reopened`);
  return {
    ok: true,
    value: {
      operation: operation as PunchoutOperation,
      buyerCookie,
      browserFormPost: text(path(setup, 'BrowserFormPost', 'URL')),
      person: personOf(setup, extrinsics),
      lines: lines.filter((l) => l !== null),
      extrinsics,
      shipTo: shipToOf(child(setup, 'ShipTo')),
    },
  };
}

function itemOutLine(item: XmlNode): { sku: string; quantity: number } | null {
  const sku = text(path(item, 'ItemID', 'SupplierPartID'));
  const quantity = Number(attr(item, 'quantity'));
  if (!sku || sku.length > 64 || !Number.isInteger(quantity) || quantity < 1 || quantity > 1_000_000)
    return null;
  return { sku, quantity };
}

/**
 * The person: Extrinsic UserEmail, else `User`/`UniqueName` when they are e-mail addresses (Ariba sends
 * logins there), else Contact/Email; the name from UserFullName, FirstName + LastName, or Contact/Name.
 */
function personOf(setup: XmlNode, extrinsics: Record<string, string>): SetupRequest['person'] {
  const contact = child(setup, 'Contact');
  const candidates = [
    extrinsics.UserEmail,
    extrinsics.User,
    extrinsics.UniqueName,
    text(child(contact, 'Email')),
  ];
  const email = candidates.find((v) => v !== undefined && v !== null && EMAIL.test(v)) ?? null;
  const fullName = [extrinsics.FirstName, extrinsics.LastName].filter(Boolean).join(' ');
  const name = extrinsics.UserFullName || fullName || text(child(contact, 'Name'));
  return { email, name };
}

/** A one-line summary of ShipTo (name, street, city, country) for the session's record. */
function shipToOf(shipTo: XmlNode | undefined): string | null {
  const address = child(shipTo, 'Address');
  if (!address) return null;
  const postal = child(address, 'PostalAddress');
  const parts = [
    text(child(address, 'Name')),
    ...children(postal, 'Street').map(text),
    text(child(postal, 'PostalCode')),
    text(child(postal, 'City')),
    attr(child(postal, 'Country'), 'isoCountryCode'),
  ].filter((p): p is string => !!p);
  return parts.length > 0 ? parts.join(', ').slice(0, 300) : null;
}
