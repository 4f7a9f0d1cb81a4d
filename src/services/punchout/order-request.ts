import type { Database } from '../../db/client';
import type { AppErrorCode } from '../../domain/errors';
import { type LineIssue, partnerLineIssues } from '../../domain/partner-lines';
import {
  attr,
  CXML_STATUS_TEXT,
  type CxmlEnvelope,
  type CxmlStatusCode,
  path,
  statusResponse,
  text,
} from '../../domain/punchout/cxml-document';
import { type OrderRequestDocument, readOrderRequest } from '../../domain/punchout/order-request';
import { type CompanyObject, companyObject } from '../../durable/client';
import type { Env } from '../../env';
import {
  firstNewRequest,
  keepAnswer,
  orderFingerprint,
  requestByPayload,
  shipToSite,
  unitsOf,
} from './order-request-store';
import { cxmlPartnerBySender, type PartnerRow, resolvePartnerUser, secretMatches } from './partners';

/**
 * A cXML OrderRequest (docs/punchout.md, "Orders from partners"): the sender authenticated, the document
 * answered once per payloadID, each line checked against the company's current prices and assortment, and
 * the order placed through the company's object under a key derived from the partner and the buyer's
 * orderID — so neither a repeated document nor a race places a second order. `delete` cancels the order;
 * `update` is answered 450: changes are not applied automatically.
 */
export interface OrderAnswer {
  code: CxmlStatusCode;
  xml: string;
  partner?: PartnerRow;
  orderId?: string | null;
}

interface Context {
  env: Env;
  db: Database;
  host: string;
  requestId: string;
  now: number;
}

const answer = (ctx: Context, code: CxmlStatusCode, message: string, partner?: PartnerRow): OrderAnswer => ({
  code,
  xml: statusResponse(code, message, { at: ctx.now, host: ctx.host }),
  partner,
});

/** Who sent it: the partner whose Sender credential and SharedSecret these are (401/403 otherwise). */
async function senderOf(ctx: Context, envelope: CxmlEnvelope): Promise<PartnerRow | OrderAnswer> {
  const credential = path(envelope.root, 'Header', 'Sender', 'Credential');
  const domain = attr(credential, 'domain');
  const identity = text(path(credential, 'Identity'));
  const partner = domain && identity ? await cxmlPartnerBySender(ctx.db, { domain, identity }) : undefined;
  const secret = text(path(credential, 'SharedSecret'));
  if (!(await secretMatches(partner, secret)) || !partner)
    return answer(ctx, 401, 'The Sender credential and SharedSecret do not match a partner');
  if (partner.status !== 'active') return answer(ctx, 403, 'This partner is disabled', partner);
  return partner;
}

export async function handleOrderRequest(ctx: Context, envelope: CxmlEnvelope): Promise<OrderAnswer> {
  const partner = await senderOf(ctx, envelope);
  if ('code' in partner) return partner;
  const seen = await requestByPayload(ctx.db, partner.id, envelope.payloadId);
  if (seen)
    return { code: seen.statusCode as CxmlStatusCode, xml: seen.response, partner, orderId: seen.orderId };
  const read = readOrderRequest(envelope.root);
  if (!read.ok) return answer(ctx, read.code, read.message, partner);
  const doc = read.value;
  const fingerprint = await orderFingerprint(doc);
  if (doc.type === 'update')
    return answer(
      ctx,
      450,
      `Changes to an order (type="update") are not applied automatically: send type="delete" for order ${doc.orderId} and a new order, or contact us`,
      partner,
    );
  const first = await firstNewRequest(ctx.db, partner.id, doc.orderId);
  const outcome =
    doc.type === 'delete'
      ? await cancelOrder(ctx, partner, doc, first?.orderId ?? null)
      : first
        ? first.fingerprint === fingerprint
          ? { ...stored(first), partner }
          : answer(ctx, 409, `Order ${doc.orderId} was already received with other content`, partner)
        : await placeOrder(ctx, partner, doc, fingerprint);
  // only what changed something is kept: a refusal changes nothing, so a corrected retry is judged afresh
  if (outcome.code !== 200 && outcome.code !== 201) return outcome;
  const kept = await keepAnswer(ctx.db, {
    partnerId: partner.id,
    companyId: partner.companyId,
    payloadId: envelope.payloadId,
    buyerOrderId: doc.orderId,
    requestType: doc.type,
    fingerprint,
    orderId: outcome.orderId ?? null,
    statusCode: outcome.code,
    statusText: CXML_STATUS_TEXT[outcome.code],
    response: outcome.xml,
    createdAt: ctx.now,
  });
  return { ...stored(kept), partner };
}

const stored = (row: { statusCode: number; response: string; orderId: string | null }) => ({
  code: row.statusCode as CxmlStatusCode,
  xml: row.response,
  orderId: row.orderId,
});

/** 417 for lines we cannot supply as asked, 409 for prices outside the tolerance (docs/punchout.md). */
function lineRefusal(ctx: Context, partner: PartnerRow, doc: OrderRequestDocument, issues: LineIssue[]) {
  const text = issues.map((i) => `line ${doc.lines[i.index]?.lineNumber ?? i.index + 1}: ${i.message}`);
  const code = issues.some((i) => i.kind === 'unorderable') ? 417 : 409;
  return answer(ctx, code, text.join('; '), partner);
}

const CHECKOUT_CODES: Partial<Record<AppErrorCode, CxmlStatusCode>> = {
  idempotency_key_reused: 409,
  conflict: 409,
  cart_locked: 409,
  unprocessable: 417,
  not_found: 417,
  forbidden: 403,
};

async function placeOrder(
  ctx: Context,
  partner: PartnerRow,
  doc: OrderRequestDocument,
  fingerprint: string,
): Promise<OrderAnswer> {
  const user = await resolvePartnerUser(ctx.db, partner, doc.person, ctx);
  if (!user.ok) return answer(ctx, 403, user.message, partner);
  const object = companyObject(ctx.env, { companyId: partner.companyId, db: ctx.db });
  const lines = doc.lines.map((l) => ({ sku: l.sku, quantity: l.quantity }));
  const key = `punchout:${partner.id}:${doc.orderId}`;
  // placed before (its answer lost before it was kept): that order, even if our prices moved since
  const before = await object.linesPlaced({ key, ownerId: user.userId, input: {}, content: fingerprint });
  if (before) return placedAnswer(ctx, partner, before);
  const [priced, units, site] = await Promise.all([
    object.priceLines(user.userId, lines, ctx.now),
    unitsOf(
      ctx.db,
      lines.map((l) => l.sku),
    ),
    shipToSite(ctx.db, partner.companyId, doc.shipToAddressId),
  ]);
  const currencies = new Set([doc.total.currency, ...doc.lines.map((l) => l.unitPrice.currency)]);
  if (currencies.size > 1 || !currencies.has(priced.currency))
    return answer(
      ctx,
      400,
      `This account orders in ${priced.currency}; the order is in ${[...currencies].join(', ')}`,
      partner,
    );
  const issues = partnerLineIssues(
    doc.lines.map((l) => ({
      sku: l.sku,
      quantity: l.quantity,
      unitPriceMinor: l.unitPrice.minor,
      unit: l.unit,
    })),
    priced.lines.map((l) => ({
      unitMinor: l.unitMinor,
      problems: l.problems,
      unit: units.get(l.sku) ?? null,
    })),
    priced.currency,
    partner.priceToleranceBp,
  );
  if (issues.length > 0) return lineRefusal(ctx, partner, doc, issues);
  const today = new Date(ctx.now).toISOString().slice(0, 10);
  const placed = await object.placeLines({
    key,
    ownerId: user.userId,
    name: `Order ${doc.orderId} from ${partner.name}`,
    lines,
    input: {
      poNumber: doc.orderId,
      ...(site.siteId ? { shipToSiteId: site.siteId } : {}),
      ...(doc.comments ? { instructions: doc.comments.slice(0, 1000) } : {}),
      // a date already past reads as "as soon as possible"
      ...(doc.requestedDeliveryDate && doc.requestedDeliveryDate >= today
        ? { requestedDeliveryDate: doc.requestedDeliveryDate }
        : {}),
    },
    channel: { channel: 'punchout', ref: partner.id },
    trustedApproval: partner.trustApprovals,
    content: fingerprint,
    requestId: ctx.requestId,
    now: ctx.now,
  });
  return placedAnswer(ctx, partner, placed);
}

function placedAnswer(
  ctx: Context,
  partner: PartnerRow,
  placed: Awaited<ReturnType<CompanyObject['placeLines']>>,
): OrderAnswer {
  if (!placed.ok) {
    const detail = placed.issues?.map((i) => `${i.path}: ${i.message}`).join('; ');
    return answer(
      ctx,
      CHECKOUT_CODES[placed.code] ?? 500,
      detail ? `${placed.message}: ${detail}` : placed.message,
      partner,
    );
  }
  const o = placed.value;
  const pending = o.status === 'pending_approval';
  const said = pending
    ? `Order ${o.orderId} received; it waits for the approval of ${o.approvalSteps.map((s) => s.reason).join(', ')}`
    : `Order ${o.orderId} placed`;
  return { ...answer(ctx, pending ? 201 : 200, said, partner), orderId: o.orderId };
}

async function cancelOrder(
  ctx: Context,
  partner: PartnerRow,
  doc: OrderRequestDocument,
  orderId: string | null,
): Promise<OrderAnswer> {
  if (!orderId) return answer(ctx, 417, `No order ${doc.orderId} from you to cancel`, partner);
  const object = companyObject(ctx.env, { companyId: partner.companyId, db: ctx.db });
  const cancelled = await object.cancelOrder(
    { userId: `punchout_partner:${partner.id}`, isAdmin: true },
    orderId,
    doc.comments ?? `Cancelled by ${partner.name} (type="delete")`,
    ctx.requestId,
    ctx.now,
  );
  if (!cancelled.ok)
    return answer(ctx, cancelled.code === 'not_found' ? 417 : 409, cancelled.message, partner);
  return { ...answer(ctx, 200, `Order ${orderId} cancelled`, partner), orderId };
}
