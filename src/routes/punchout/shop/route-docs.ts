import * as v from 'valibot';
import { doc } from '../../../http/openapi';
import { validParams } from '../../../http/validate';
import { text } from '../../schemas';

/**
 * The shop's pages in the OpenAPI document (browser pages: HTML, the session key in the path is the
 * credential), and their path parameters checked like every other route's: control characters are a 400
 * naming the parameter before any lookup.
 */
const tags = ['Punch-out shop'];
const description =
  'A page of the punch-out start page for a browser (HTML, no cookie): the session key in the path is the credential. An unknown key answers a 401 page, a closed session 410.';

const KEY = { key: text({ max: 128 }) };
const SKU = { sku: text({ max: 64 }) };
const LINE = { lineId: text({ max: 64 }) };

/** The route's documentation and its path parameters: the key, plus a SKU or a cart line when it has one. */
export const shopPage = (summary: string, options: { status?: 200 | 303; path?: 'sku' | 'lineId' } = {}) =>
  [
    doc({ tags, summary, description, public: true, status: options.status ?? 200 }),
    validParams(
      v.strictObject({
        ...KEY,
        ...(options.path === 'sku' ? SKU : options.path === 'lineId' ? LINE : {}),
      }),
    ),
  ] as const;
