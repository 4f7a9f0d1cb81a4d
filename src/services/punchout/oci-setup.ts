import type { Database } from '../../db/client';
import { insertAudit } from '../../db/queries/audit';
import { checkPublicUrl } from '../../domain/public-url';
import { ociLanguageTag } from '../../domain/punchout/oci-format';
import { type PunchoutLanguage, shopLanguage } from '../../domain/punchout-terms';
import type { Config, Env } from '../../env';
import { newId } from '../../lib/ids';
import type { AttemptContext } from '../credential-guard';
import type { PricingDeps } from '../pricing/deps';
import { urlPolicyFor } from '../public-fetch';
import { ociCaller } from './oci-auth';
import type { OciFormInput } from './oci-form';
import { searchedItems, validatedItem } from './oci-items';
import { ociItemFields, ociReturnFields } from './oci-transfer';
import { type PartnerRow, resolvePartnerUser } from './partners';
import { openSession } from './sessions';

/**
 * One call to /punchout/oci (docs/punchout.md, SAP OCI): authenticate, check the HOOK_URL, then either
 * open a shopping session (no FUNCTION, or DETAIL) and send the browser to its start page, or answer the
 * hook form at once (VALIDATE, BACKGROUND_SEARCH). Parameter names are read case-insensitively.
 */
export type OciParams = ReadonlyMap<string, string>;

export type OciAnswer =
  | { kind: 'redirect'; location: string; sessionId: string }
  | { kind: 'form'; form: OciFormInput }
  | { kind: 'refused'; status: 400 | 401 | 403; message: string };

export interface OciDeps {
  env: Env;
  db: Database;
  config: Config;
  pricing: PricingDeps;
  now: number;
}

const FUNCTIONS = ['', 'DETAIL', 'VALIDATE', 'BACKGROUND_SEARCH'] as const;
const EMAIL_PARAMS = ['email', 'user_email', 'useremail', 'e-mail'];
const RETURN_PARAMS = ['~target', '~okcode', '~caller'] as const;
const RETURN_NAMES: Record<(typeof RETURN_PARAMS)[number], string> = {
  '~target': '~target',
  '~okcode': '~OkCode',
  '~caller': '~caller',
};
const MAX_QUANTITY = 1_000_000;

const refused = (status: 400 | 401 | 403, message: string): OciAnswer => ({
  kind: 'refused',
  status,
  message,
});

/** `1`, `2.000`, `3,0` → 3; anything but a whole positive number → null. */
function wholeQuantity(text: string | undefined): number | null {
  if (text === undefined || text.trim() === '') return 1;
  const value = Number(text.trim().replace(',', '.'));
  return Number.isInteger(value) && value >= 1 && value <= MAX_QUANTITY ? value : null;
}

export async function answerOci(
  deps: OciDeps,
  params: OciParams,
  bearer: string | null,
  context: AttemptContext & { origin: string },
): Promise<{ answer: OciAnswer; partner?: PartnerRow }> {
  const get = (name: string) => params.get(name);
  const caller = await ociCaller(
    deps.db,
    deps.config,
    {
      username: get('username') ?? null,
      password: get('password') ?? null,
      token: bearer ?? get('token') ?? null,
      partnerId: get('partner') ?? null,
    },
    context,
  );
  if (!caller.ok) return { answer: refused(caller.status, caller.message), partner: caller.partner };
  const { partner } = caller;
  const done = (answer: OciAnswer) => ({ answer, partner });

  const fn = (get('function') ?? '').trim().toUpperCase();
  if (!(FUNCTIONS as readonly string[]).includes(fn))
    return done(refused(400, `FUNCTION ${fn} is not supported: use DETAIL, VALIDATE or BACKGROUND_SEARCH`));
  const hook = get('hook_url')?.trim();
  if (!hook) return done(refused(400, 'HOOK_URL is required: the address the items go back to'));
  const verdict = checkPublicUrl(hook, urlPolicyFor(deps.env.ENVIRONMENT));
  if (!verdict.ok) return done(refused(400, `HOOK_URL is refused: ${verdict.reason}`));

  const returnFields: Record<string, string> = {};
  for (const name of RETURN_PARAMS) {
    const value = get(name)?.trim();
    if (value) returnFields[RETURN_NAMES[name]] = value.slice(0, 100);
  }
  const language: PunchoutLanguage = shopLanguage(
    ociLanguageTag(get('~language') ?? get('sy-langu') ?? get('language')),
    shopLanguage(partner.defaultLanguage, 'en'),
  );
  const productId = get('productid')?.trim() ?? '';
  const hookUrl = verdict.url.toString();
  const form = (lines: Awaited<ReturnType<typeof validatedItem>>): OciAnswer => ({
    kind: 'form',
    form: {
      hookUrl,
      target: returnFields['~target'],
      fields: [...ociItemFields(partner, lines), ...ociReturnFields(returnFields)],
      language,
    },
  });

  if (fn === 'VALIDATE') {
    if (!productId) return done(refused(400, 'FUNCTION=VALIDATE needs PRODUCTID'));
    const quantity = wholeQuantity(get('quantity'));
    if (quantity === null) return done(refused(400, 'QUANTITY must be a whole number from 1'));
    return done(form(await validatedItem(deps.pricing, partner.companyId, productId, quantity, deps.now)));
  }
  if (fn === 'BACKGROUND_SEARCH') {
    const search = get('searchstring')?.trim() ?? '';
    if (!search) return done(refused(400, 'FUNCTION=BACKGROUND_SEARCH needs SEARCHSTRING'));
    return done(form(await searchedItems(deps.pricing, partner.companyId, search.slice(0, 200), deps.now)));
  }
  if (fn === 'DETAIL' && !productId) return done(refused(400, 'FUNCTION=DETAIL needs PRODUCTID'));

  const email = EMAIL_PARAMS.map(get).find((v) => v?.trim());
  const user = await resolvePartnerUser(
    deps.db,
    partner,
    { email: email ?? null, name: get('user_name') ?? get('username_full') ?? null },
    { requestId: context.requestId, now: deps.now },
  );
  if (!user.ok) return done(refused(403, user.message));
  const opened = await openSession(deps.env, deps.db, {
    partner,
    userId: user.userId,
    operation: 'create',
    buyerCookie: null,
    returnUrl: hookUrl,
    returnFields,
    language,
    payloadId: null,
    lines: [],
    now: deps.now,
  });
  await insertAudit(deps.db, {
    id: newId('aud'),
    at: deps.now,
    actorId: `punchout_partner:${partner.id}`,
    actorKind: 'system',
    actingForId: null,
    requestId: context.requestId,
    companyId: partner.companyId,
    action: 'punchout.session_opened',
    targetType: 'punchout_session',
    targetId: opened.session.id,
    summary: `OCI partner ${partner.name} opened a session for ${user.userId}${fn ? ` (${fn} ${productId})` : ''}`,
  });
  const start = new URL(`/punchout/start/${encodeURIComponent(opened.code)}`, context.origin);
  if (fn === 'DETAIL') start.searchParams.set('sku', productId);
  return done({ kind: 'redirect', location: start.toString(), sessionId: opened.session.id });
}
