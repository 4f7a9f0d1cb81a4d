import type { Database } from '../../db/client';
import { insertAudit } from '../../db/queries/audit';
import { checkPublicUrl } from '../../domain/public-url';
import {
  type CxmlRefusal,
  type CxmlStatusCode,
  cxmlDocument,
  esc,
  readCxml,
  refuse,
  statusResponse,
} from '../../domain/punchout/cxml-document';
import { type CxmlCredential, readHeader, readSetupRequest } from '../../domain/punchout/setup-request';
import { shopLanguage } from '../../domain/punchout-terms';
import type { Env } from '../../env';
import { newId } from '../../lib/ids';
import { urlPolicyFor } from '../public-fetch';
import { recordExchanges } from './log';
import { cxmlPartnerBySender, type PartnerRow, resolvePartnerUser, secretMatches } from './partners';
import { openSession } from './sessions';

/**
 * cXML punch-out setup (docs/punchout.md, "cXML setup and transfer"): authenticates the Sender, reads the
 * PunchOutSetupRequest, maps the person to a user of the partner's company and opens a session whose
 * start page the answer names. Every outcome, refusals included, is a cXML document and a log entry.
 */
export interface SetupContext {
  env: Env;
  db: Database;
  /** the origin the start page is served from (`https://shop.example`) */
  origin: string;
  now: number;
  requestId: string;
}

export interface SetupAnswer {
  code: CxmlStatusCode;
  xml: string;
}

/** Credentials the order message echoes back: `domain|identity` of the setup request's From and To. */
export const FROM_FIELD = 'cxml:from';
export const TO_FIELD = 'cxml:to';

const joinCredential = (c: CxmlCredential | undefined) => (c ? `${c.domain}|${c.identity}` : '');

export async function cxmlSetup(ctx: SetupContext, text: string | CxmlRefusal): Promise<SetupAnswer> {
  const host = new URL(ctx.origin).host;
  const facts: { partner?: PartnerRow; payloadId?: string; buyerCookie?: string; sessionId?: string } = {};
  const outcome = typeof text === 'string' ? await setUp(ctx, text, facts) : text;
  const answer: SetupAnswer = outcome.ok
    ? { code: 200, xml: outcome.xml }
    : {
        code: outcome.code,
        xml: statusResponse(outcome.code, outcome.message, { at: ctx.now, host }),
      };
  const common = {
    kind: 'cxml.setup',
    partnerId: facts.partner?.id ?? null,
    companyId: facts.partner?.companyId ?? null,
    sessionId: facts.sessionId ?? null,
    payloadId: facts.payloadId ?? null,
    buyerCookie: facts.buyerCookie ?? null,
    requestId: ctx.requestId,
    at: ctx.now,
    status: answer.code,
  };
  await recordExchanges(ctx.db, [
    { ...common, direction: 'in', body: typeof text === 'string' ? text : `[unread: ${text.message}]` },
    { ...common, direction: 'out', body: answer.xml },
  ]);
  return answer;
}

async function setUp(
  ctx: SetupContext,
  body: string,
  facts: { partner?: PartnerRow; payloadId?: string; buyerCookie?: string; sessionId?: string },
): Promise<{ ok: true; xml: string } | CxmlRefusal> {
  const read = readCxml(body);
  if (!read.ok) return read;
  const envelope = read.value;
  facts.payloadId = envelope.payloadId;
  const header = readHeader(envelope);
  if (!header.sender) return refuse(401, 'Header/Sender/Credential needs a domain and an Identity');
  const partner = await cxmlPartnerBySender(ctx.db, header.sender);
  // same work for an unknown sender as for a wrong secret: the answer does not tell which it was
  if (!(await secretMatches(partner, header.sender.secret)) || !partner)
    return refuse(401, 'The Sender credential and SharedSecret are not accepted');
  facts.partner = partner;
  if (partner.status !== 'active') return refuse(403, 'This punch-out partner is disabled');
  const fromProblem = checkFrom(partner, header.from);
  if (fromProblem) return fromProblem;

  const request = readSetupRequest(envelope);
  if (!request.ok) return request;
  const setup = request.value;
  facts.buyerCookie = setup.buyerCookie;
  let returnUrl: string | null = null;
  if (setup.browserFormPost) {
    const verdict = checkPublicUrl(setup.browserFormPost, urlPolicyFor(ctx.env.ENVIRONMENT));
    if (!verdict.ok) return refuse(400, `BrowserFormPost/URL is refused: it must be ${verdict.reason}`);
    returnUrl = verdict.url.toString();
  } else if (setup.operation !== 'inspect') {
    return refuse(
      400,
      'BrowserFormPost/URL is required: without it the cart cannot be brought back (only inspect may omit it)',
    );
  }
  const user = await resolvePartnerUser(ctx.db, partner, setup.person, {
    requestId: ctx.requestId,
    now: ctx.now,
  });
  if (!user.ok) return refuse(403, user.message);

  const returnFields: Record<string, string> = {
    [FROM_FIELD]: joinCredential(header.from[0]),
    [TO_FIELD]: joinCredential(header.to[0]),
  };
  for (const [name, value] of Object.entries(setup.extrinsics)) returnFields[`extrinsic:${name}`] = value;
  if (setup.shipTo) returnFields.shipTo = setup.shipTo;
  const opened = await openSession(ctx.env, ctx.db, {
    partner,
    userId: user.userId,
    operation: setup.operation,
    buyerCookie: setup.buyerCookie,
    returnUrl,
    returnFields,
    language: shopLanguage(envelope.lang, shopLanguage(partner.defaultLanguage, 'en')),
    payloadId: envelope.payloadId,
    lines: setup.lines,
    now: ctx.now,
  });
  facts.sessionId = opened.session.id;
  await insertAudit(ctx.db, {
    id: newId('aud'),
    at: ctx.now,
    actorId: `punchout_partner:${partner.id}`,
    actorKind: 'system',
    actingForId: user.userId,
    requestId: ctx.requestId,
    companyId: partner.companyId,
    action: 'punchout.session_opened',
    targetType: 'punchout_session',
    targetId: opened.session.id,
    summary: `${partner.name} opened a cXML ${setup.operation} session (cart ${opened.session.cartId})`,
  });
  const startPage = `${ctx.origin}/punchout/start/${encodeURIComponent(opened.code)}`;
  // lines that could not be reopened (unknown SKU, outside the assortment) are said in the Status text
  const note =
    opened.refused.length === 0
      ? ''
      : esc(
          `${opened.refused.length} of ${setup.lines.length} lines could not be reopened: ${opened.refused
            .slice(0, 10)
            .map((r) => `ItemOut ${r.index + 1} (${setup.lines[r.index]?.sku}): ${r.message}`)
            .join('; ')}`,
        );
  return {
    ok: true,
    xml: cxmlDocument(
      `<Response><Status code="200" text="OK" xml:lang="en">${note}</Status>` +
        `<PunchOutSetupResponse><StartPage><URL>${esc(startPage)}</URL></StartPage></PunchOutSetupResponse></Response>`,
      { at: ctx.now, host: new URL(ctx.origin).host },
    ),
  };
}

/**
 * When the partner names its buying organisation (from_domain/from_identity), one of the From credentials
 * must be it: an authenticated sender acting for another organisation is forbidden (403), not unknown.
 */
function checkFrom(partner: PartnerRow, from: CxmlCredential[]): CxmlRefusal | null {
  if (!partner.fromIdentity) return null;
  const domain = partner.fromDomain?.toLowerCase();
  const named = from.some(
    (c) => c.identity === partner.fromIdentity && (!domain || c.domain.toLowerCase() === domain),
  );
  return named ? null : refuse(403, 'Header/From does not name the organisation this sender buys for');
}
