import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { AppError } from '../../../domain/errors';
import type { Principal } from '../../../domain/principal';
import { shopLanguage } from '../../../domain/punchout-terms';
import { type CompanyObject, companyObject } from '../../../durable/client';
import type { AppContext } from '../../../http/context';
import { STATUS_BY_CODE } from '../../../http/problem';
import type { SessionRow } from '../../../services/punchout/sessions';
import { shopAccess } from '../../../services/punchout/shop';
import { type Texts, textsFor } from './i18n';
import { ErrorPage, SHOP_CSS } from './layout';

/** A request of a live session: who shops, in which language, and what they may do. */
export interface LiveShop {
  key: string;
  session: SessionRow;
  principal: Principal;
  texts: Texts;
  now: number;
  carts: CompanyObject;
  showPrices: boolean;
  /** false for an `inspect` session or a user without cart.manage */
  canChange: boolean;
}

let styleHash: Promise<string> | undefined;
/** The stylesheet's CSP hash: the page's only inline content, allowed by exactly this text. */
const hashOfStyle = () => {
  styleHash ??= crypto.subtle
    .digest('SHA-256', new TextEncoder().encode(SHOP_CSS))
    .then((digest) => `'sha256-${btoa(String.fromCharCode(...new Uint8Array(digest)))}'`);
  return styleHash;
};

function originOf(url: string | null): string | null {
  if (!url) return null;
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' || parsed.protocol === 'http:' ? parsed.origin : null;
  } catch {
    return null;
  }
}

/**
 * The shop's own CSP (the API's allows nothing): its one stylesheet by hash, forms to this origin only, no
 * script at all. Procurement systems often show punch-out in a frame, so the session's procurement
 * system (the origin of its return URL) may frame it; nobody else may.
 */
async function shopCsp(session: SessionRow | undefined): Promise<string> {
  const framer = originOf(session?.returnUrl ?? null);
  return [
    "default-src 'none'",
    `style-src ${await hashOfStyle()}`,
    "img-src 'self' data:",
    "form-action 'self'",
    "base-uri 'none'",
    `frame-ancestors ${framer ? `'self' ${framer}` : "'none'"}`,
  ].join('; ');
}

/** A rendered page: HTML, never cached (prices and carts are personal), no cookie, the shop's CSP. */
export async function renderPage(
  c: AppContext,
  page: unknown,
  status: ContentfulStatusCode,
  shop?: LiveShop,
): Promise<Response> {
  return c.html(`<!doctype html>${String(await page)}`, status, {
    'content-security-policy': await shopCsp(shop?.session),
    'cache-control': 'no-store',
  });
}

/** The session behind the key, or the page that says why there is none (401 unknown, 410 ended). */
export async function openShop(c: AppContext, run: (shop: LiveShop) => Promise<Response>): Promise<Response> {
  const key = c.req.param('key') ?? '';
  const { services } = c.var;
  const now = services.now();
  const access = await shopAccess(services.db, key, now);
  if (access.kind !== 'live') {
    const asked = shopLanguage(c.req.header('accept-language'), 'en');
    const texts = textsFor(access.kind === 'gone' ? access.language : asked);
    const gone = access.kind === 'gone';
    const page = ErrorPage({
      texts,
      title: gone ? texts.t.goneTitle : texts.t.unknownTitle,
      text: gone ? texts.t.goneText : texts.t.unknownText,
    });
    return renderPage(c, page, gone ? 410 : 401);
  }
  const { session, principal } = access;
  const texts = textsFor(shopLanguage(session.language, 'en'));
  const shop: LiveShop = {
    key,
    session,
    principal,
    texts,
    now,
    carts: companyObject(c.env, { companyId: session.companyId, db: services.db }),
    showPrices: principal.permissions.has('prices.view'),
    canChange: !principal.punchout?.readOnly && principal.permissions.has('cart.manage'),
  };
  if (!principal.permissions.has('catalog.view')) return refusal(c, shop, texts.t.forbiddenText, 403);
  try {
    return await run(shop);
  } catch (error) {
    // an expected refusal (a transfer not possible, a conflict) is a page in the buyer's language
    if (!(error instanceof AppError)) throw error;
    return refusal(c, shop, error.message, STATUS_BY_CODE[error.code]);
  }
}

/** A page saying what was refused, in the session's language, keeping the shop's header. */
export function refusal(c: AppContext, shop: LiveShop, text: string, status: ContentfulStatusCode) {
  const { texts } = shop;
  const title = status === 403 ? texts.t.forbiddenTitle : texts.t.errorTitle;
  return renderPage(c, ErrorPage({ texts, title, text, shopKey: shop.key }), status, shop);
}

/** The number of lines in the session cart, for the header's cart link. */
export async function cartCount(shop: LiveShop): Promise<number> {
  const found = await shop.carts.getCart(shop.session.userId, shop.session.cartId, shop.now);
  return found.ok ? found.value.lines.length : 0;
}

/** Shop forms are a few short fields: anything larger is not one of them. */
const MAX_FORM_BYTES = 16 * 1024;

/** The fields of a posted form (urlencoded, at most MAX_FORM_BYTES); anything else reads as empty. */
export async function readForm(c: AppContext): Promise<URLSearchParams> {
  const type = c.req.header('content-type') ?? '';
  const body = c.req.raw.body;
  if (!body || !/^application\/x-www-form-urlencoded\s*(;|$)/i.test(type)) return new URLSearchParams();
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let text = '';
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_FORM_BYTES) {
      await reader.cancel();
      return new URLSearchParams();
    }
    text += decoder.decode(value, { stream: true });
  }
  return new URLSearchParams(text + decoder.decode());
}
