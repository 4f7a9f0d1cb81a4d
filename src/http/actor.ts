import type { Actor } from '../services/audit';
import type { AttemptContext } from '../services/credential-guard';
import type { AppContext } from './context';

export const actorOf = (c: AppContext): Actor => ({
  principal: c.var.principal,
  requestId: c.var.requestId,
  now: c.var.services.now(),
});

/**
 * Who presents credentials, for the guessing limits and the audit of failures. `CF-Connecting-IP` is set
 * by Cloudflare's edge and cannot be forged through it; without it (local tools) the address is empty.
 */
export const attemptContextOf = (c: AppContext): AttemptContext => ({
  limiter: c.env.RATE_LIMITER,
  clientAddress: c.req.header('cf-connecting-ip')?.trim() ?? '',
  requestId: c.var.requestId,
  now: c.var.services.now(),
});
