import type { Database } from '../db/client';
import { insertAudit } from '../db/queries/audit';
import type { Principal } from '../domain/principal';
import { newId } from '../lib/ids';

/** Who is acting, for the audit trail: the principal, the request, and (with delegation) on whose behalf. */
export interface Actor {
  principal: Principal;
  requestId: string;
  actingForId?: string;
  now: number;
}

export interface AuditEvent {
  companyId: string | null;
  action: string;
  targetType: string;
  targetId: string;
  summary: string;
}

export function auditInsert(db: Database, actor: Actor, event: AuditEvent) {
  return insertAudit(db, {
    id: newId('aud'),
    at: actor.now,
    actorId: actor.principal.id,
    actorKind: actor.principal.kind,
    actingForId: actor.actingForId ?? null,
    requestId: actor.requestId,
    ...event,
  });
}

/** `name="X", status="archived"`: what a PATCH changed, for the audit summary. */
export const describeChanges = (changes: object): string =>
  Object.entries(changes)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
    .join(', ');

/** Someone without credentials (a failed sign-in, a rejected API key), known only by their address. */
export interface AnonymousActor {
  clientAddress: string;
  requestId: string;
  now: number;
}

export function anonymousAuditInsert(db: Database, actor: AnonymousActor, event: AuditEvent) {
  return insertAudit(db, {
    id: newId('aud'),
    at: actor.now,
    actorId: `ip:${actor.clientAddress || 'unknown'}`,
    actorKind: 'anonymous',
    actingForId: null,
    requestId: actor.requestId,
    ...event,
  });
}
