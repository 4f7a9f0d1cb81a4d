import { Hono } from 'hono';
import * as v from 'valibot';
import { AppError } from '../../domain/errors';
import type { AppEnv } from '../../http/context';
import { doc } from '../../http/openapi';
import { validParams } from '../../http/validate';
import { exchangeCode, sessionIdOfToken } from '../../services/punchout/sessions';
import { sessionById, transferPage } from '../../services/punchout/transfer';
import { text } from '../schemas';

/**
 * The session's entry points: the start page a procurement browser opens (its one-time code becomes the
 * shop's session key), the same exchange for a headless storefront (a bearer token), and the transfer.
 */
export const sessionRoutes = new Hono<AppEnv>();

const tags = ['Punch-out'];
// a start code is 43 base64url characters; anything with control characters is refused before any lookup
const CodeParam = v.strictObject({ code: text({ max: 128 }) });
const SessionToken = v.object({
  accessToken: v.string(),
  tokenType: v.literal('Bearer'),
  expiresIn: v.number(),
  session: v.object({
    id: v.string(),
    cartId: v.string(),
    operation: v.picklist(['create', 'edit', 'inspect']),
    language: v.string(),
    buyerCookie: v.nullable(v.string()),
  }),
});

const EXPIRED_PAGE = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>This link has expired</title></head>
<body>
<h1>This link has expired</h1>
<p>This shopping link was already used or is too old. Start the punch-out again from your procurement system.</p>
</body>
</html>
`;

sessionRoutes.get(
  '/start/:code',
  doc({
    tags,
    summary:
      'The start page: 303 to the session shop, or with `?sku=` to that product (a used or expired code: an HTML page, 401)',
    public: true,
    status: 303,
  }),
  validParams(CodeParam),
  async (c) => {
    const { db, config, now } = c.var.services;
    const headers = { 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' };
    try {
      const exchanged = await exchangeCode(db, config, c.req.valid('param').code, now());
      const shop = `/punchout/shop/${encodeURIComponent(exchanged.shopKey)}/`;
      // OCI FUNCTION=DETAIL opens the session on one product's page
      const sku = c.req.query('sku');
      return c.body(null, 303, {
        ...headers,
        location: sku ? `${shop}p/${encodeURIComponent(sku)}` : shop,
      });
    } catch (err) {
      if (!(err instanceof AppError) || err.code !== 'unauthenticated') throw err;
      return c.body(EXPIRED_PAGE, 401, { ...headers, 'content-type': 'text/html; charset=utf-8' });
    }
  },
);

sessionRoutes.post(
  '/sessions/:code/token',
  doc({
    tags,
    summary: 'Exchanges a start code, once, for a bearer token confined to the session cart',
    public: true,
    ok: SessionToken,
  }),
  validParams(CodeParam),
  async (c) => {
    const { db, config, now } = c.var.services;
    const exchanged = await exchangeCode(db, config, c.req.valid('param').code, now());
    const { session } = exchanged;
    c.header('cache-control', 'no-store');
    return c.json({
      accessToken: exchanged.token,
      tokenType: 'Bearer',
      expiresIn: exchanged.expiresIn,
      session: {
        id: session.id,
        cartId: session.cartId,
        operation: session.operation,
        language: session.language,
        buyerCookie: session.buyerCookie,
      },
    });
  },
);

/**
 * The transfer with the session's token. Read here rather than through `authenticated`, which refuses a
 * closed session's token as unknown: a second transfer is told the session is closed (409).
 */
sessionRoutes.post(
  '/sessions/current/transfer',
  doc({
    tags,
    summary: 'Closes the session and answers the form that posts the cart to the procurement system',
    okMediaType: 'text/html',
    errors: { 409: 'Already transferred, no return address, or lines to fix first' },
  }),
  async (c) => {
    const { db, config, now } = c.var.services;
    const at = now();
    const bearer = /^Bearer\s+(\S+)$/i.exec(c.req.header('authorization') ?? '')?.[1];
    const sessionId = bearer ? await sessionIdOfToken(config, bearer, at) : null;
    const session = sessionId ? await sessionById(db, sessionId) : undefined;
    if (
      !session ||
      (session.state !== 'transferred' && (session.state !== 'active' || session.expiresAt <= at))
    )
      throw new AppError('unauthenticated', 'The punch-out session token is invalid, or the session expired');
    return transferPage(c.env, session, at, c.get('requestId'));
  },
);
