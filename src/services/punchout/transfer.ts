import { eq } from 'drizzle-orm';
import { createDatabase, type Database } from '../../db/client';
import { insertAudit } from '../../db/queries/audit';
import { punchoutPartners, punchoutSessions } from '../../db/schema';
import { AppError } from '../../domain/errors';
import { checkPublicUrl } from '../../domain/public-url';
import { type PunchoutLanguage, shopLanguage } from '../../domain/punchout-terms';
import { companyObject } from '../../durable/client';
import { type Env, payloadHostOf, readConfig } from '../../env';
import { newId } from '../../lib/ids';
import { describeError, log } from '../../lib/log';
import { urlPolicyFor } from '../public-fetch';
import { FROM_FIELD, TO_FIELD } from './cxml-setup';
import { recordExchanges } from './log';
import { ociTransferFields } from './oci-transfer';
import { orderMessage } from './order-message';
import type { PartnerRow } from './partners';
import { closeForTransfer, type SessionRow } from './sessions';
import { transferCartOf } from './transfer-cart';
import { transferForm } from './transfer-form';

/**
 * The transfer: closes the session once and answers the HTML page that posts the cart back to the
 * procurement system (cXML PunchOutOrderMessage or OCI NEW_ITEM-* fields) as an auto-submitting form.
 * Everything that can fail (pricing, the message) happens before the session is closed, so a refused
 * transfer can be tried again; a second transfer of a closed session is a conflict (409).
 */
export async function transferPage(
  env: Env,
  session: SessionRow,
  now: number,
  requestId: string,
): Promise<Response> {
  const db = createDatabase(env);
  if (session.state === 'transferred')
    throw new AppError('conflict', 'This punch-out session is closed: its cart was already transferred');
  const [partner] = await db
    .select()
    .from(punchoutPartners)
    .where(eq(punchoutPartners.id, session.partnerId))
    .limit(1);
  if (partner?.status !== 'active')
    throw new AppError('forbidden', 'The punch-out partner of this session is disabled');
  if (!session.returnUrl)
    throw new AppError(
      'conflict',
      'This session has no return address (the setup request sent no BrowserFormPost): nothing to transfer to',
    );
  const verdict = checkPublicUrl(session.returnUrl, urlPolicyFor(env.ENVIRONMENT));
  if (!verdict.ok) throw new AppError('conflict', `The return address is refused: ${verdict.reason}`);
  const cart = await transferCartOf(env, db, session, now);
  const language = shopLanguage(session.language, 'en') satisfies PunchoutLanguage;

  const outgoing =
    session.protocol === 'oci'
      ? { kind: 'oci.transfer', fields: ociTransferFields(session, partner, cart), body: '' }
      : cxmlFields(env, session, partner, cart, now, language);
  const body = outgoing.body || new URLSearchParams(outgoing.fields.map(([k, v]) => [k, v])).toString();

  if (!(await closeForTransfer(db, session.id, now)))
    throw new AppError('conflict', 'This punch-out session is closed: its cart was already transferred');
  await Promise.all([
    dropSessionCart(env, db, session),
    insertAudit(db, {
      id: newId('aud'),
      at: now,
      actorId: session.userId,
      actorKind: 'user',
      actingForId: null,
      requestId,
      companyId: session.companyId,
      action: 'punchout.transferred',
      targetType: 'punchout_session',
      targetId: session.id,
      summary: `Cart of ${cart.lines.length} lines (${cart.totalMinor} ${cart.currency} minor units) sent back to ${partner.name}`,
    }),
    recordExchanges(db, [
      {
        kind: outgoing.kind,
        direction: 'out',
        status: 200,
        body,
        partnerId: partner.id,
        companyId: session.companyId,
        sessionId: session.id,
        payloadId: session.payloadId,
        buyerCookie: session.buyerCookie,
        requestId,
        at: now,
      },
    ]),
  ]);
  return transferForm({
    action: verdict.url.toString(),
    fields: outgoing.fields,
    target: session.protocol === 'oci' ? session.returnFields['~target']?.trim() || '_top' : null,
    language,
  });
}

const credentialOf = (value: string | undefined, fallback: { domain: string; identity: string }) => {
  const [domain, identity] = (value ?? '').split('|');
  return domain && identity ? { domain, identity } : fallback;
};

function cxmlFields(
  env: Env,
  session: SessionRow,
  partner: PartnerRow,
  cart: Awaited<ReturnType<typeof transferCartOf>>,
  now: number,
  language: PunchoutLanguage,
) {
  const host = payloadHostOf(readConfig(env));
  const xml = orderMessage({
    buyerCookie: session.buyerCookie ?? '',
    operation: session.operation,
    cart,
    buyer: credentialOf(session.returnFields[FROM_FIELD], {
      domain: partner.fromDomain ?? partner.senderDomain ?? 'NetworkID',
      identity: partner.fromIdentity ?? partner.senderIdentity ?? partner.id,
    }),
    supplier: credentialOf(session.returnFields[TO_FIELD], { domain: 'DomainName', identity: host }),
    language,
    at: now,
    host,
  });
  const field: [string, string] =
    partner.formEncoding === 'cxml-base64' ? ['cxml-base64', base64Utf8(xml)] : ['cxml-urlencoded', xml];
  return { kind: 'cxml.order_message', fields: [field], body: xml };
}

function base64Utf8(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000)
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

/** The session cart lived only for the session: once sent back it is removed from the company's object. */
async function dropSessionCart(env: Env, db: Database, session: SessionRow): Promise<void> {
  try {
    const object = companyObject(env, { companyId: session.companyId, db });
    const removed = await object.deleteCart(
      { userId: session.userId, isAdmin: false },
      session.cartId,
      undefined,
    );
    if (!removed.ok)
      log('warn', 'punch-out cart not removed', { sessionId: session.id, reason: removed.message });
  } catch (err) {
    log('warn', 'punch-out cart not removed', { sessionId: session.id, ...describeError(err) });
  }
}

/** The session a punch-out token names, in any state (a closed one answers 409, not 401). */
export async function sessionById(db: Database, id: string): Promise<SessionRow | undefined> {
  const [row] = await db.select().from(punchoutSessions).where(eq(punchoutSessions.id, id)).limit(1);
  return row;
}
