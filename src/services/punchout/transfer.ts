import { AppError } from '../../domain/errors';
import type { Env } from '../../env';
import type { SessionRow } from './sessions';

/**
 * The transfer: closes the session once and answers the HTML page that posts the cart back to the
 * procurement system (cXML PunchOutOrderMessage or OCI NEW_ITEM-* fields) as an auto-submitting form.
 */
export async function transferPage(
  _env: Env,
  _session: SessionRow,
  _now: number,
  _requestId: string,
): Promise<Response> {
  throw new AppError('not_implemented', 'The punch-out transfer is not built yet');
}
