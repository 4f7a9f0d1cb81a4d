import { AppError } from '../../domain/errors';
import type { PartnerRow } from './partners';
import type { SessionRow } from './sessions';
import type { TransferCart } from './transfer-lines';

/** The OCI hook form fields (`NEW_ITEM-*[n]`, 1-based) for a session cart, in order. */
export function ociTransferFields(
  _session: SessionRow,
  _partner: PartnerRow,
  _cart: TransferCart,
): [string, string][] {
  throw new AppError('not_implemented', 'The OCI transfer is not built yet');
}
