import type { Actor } from '../services/audit';
import type { AppContext } from './context';

export const actorOf = (c: AppContext): Actor => ({
  principal: c.var.principal,
  requestId: c.var.requestId,
  now: c.var.services.now(),
});
