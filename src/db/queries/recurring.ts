import { and, asc, desc, eq, inArray, isNotNull, lt, lte, ne, or, sql } from 'drizzle-orm';
import type { Database } from '../client';
import {
  companies,
  costCenters,
  products,
  recurringOccurrences,
  recurringOrders,
  rolePermissions,
  userRoles,
  users,
} from '../schema';
import { sites } from '../schema-core';
import type { CompanyScope } from '../scope';
import { batchRead, inChunks } from './bulk';

export type ScheduleRow = typeof recurringOrders.$inferSelect;
export type NewScheduleRow = typeof recurringOrders.$inferInsert;
export type OccurrenceRow = typeof recurringOccurrences.$inferSelect;

const inCompany = (scope: CompanyScope, id: string) =>
  and(eq(recurringOrders.companyId, scope.companyId), eq(recurringOrders.id, id));

export async function getSchedule(scope: CompanyScope, id: string): Promise<ScheduleRow | undefined> {
  const [row] = await scope.db.select().from(recurringOrders).where(inCompany(scope, id)).limit(1);
  return row;
}

/** Newest first; `ownerId` narrows to one owner's schedules. */
export function listSchedules(
  scope: CompanyScope,
  f: { ownerId?: string; before?: { at: number; id: string }; limit: number },
) {
  const before = f.before;
  return scope.db
    .select()
    .from(recurringOrders)
    .where(
      and(
        eq(recurringOrders.companyId, scope.companyId),
        f.ownerId ? eq(recurringOrders.ownerId, f.ownerId) : undefined,
        before
          ? or(
              lt(recurringOrders.createdAt, before.at),
              and(eq(recurringOrders.createdAt, before.at), lt(recurringOrders.id, before.id)),
            )
          : undefined,
      ),
    )
    .orderBy(desc(recurringOrders.createdAt), desc(recurringOrders.id))
    .limit(f.limit);
}

export const insertSchedule = (db: Database, row: NewScheduleRow) => db.insert(recurringOrders).values(row);

export const updateSchedule = (scope: CompanyScope, id: string, set: Partial<NewScheduleRow>) =>
  scope.db.update(recurringOrders).set(set).where(inCompany(scope, id));

/** Only if the schedule still waits for `due`: a stale writer never moves a schedule someone else moved. */
export const updateScheduleIfDue = (db: Database, id: string, due: number, set: Partial<NewScheduleRow>) =>
  db
    .update(recurringOrders)
    .set(set)
    .where(and(eq(recurringOrders.id, id), eq(recurringOrders.nextDueAt, due)));

export const deleteScheduleStatements = (scope: CompanyScope, id: string) => [
  scope.db
    .delete(recurringOccurrences)
    .where(and(eq(recurringOccurrences.companyId, scope.companyId), eq(recurringOccurrences.scheduleId, id))),
  scope.db.delete(recurringOrders).where(inCompany(scope, id)),
];

export function listOccurrences(
  scope: CompanyScope,
  scheduleId: string,
  f: { before?: number; limit: number },
): Promise<OccurrenceRow[]> {
  return scope.db
    .select()
    .from(recurringOccurrences)
    .where(
      and(
        eq(recurringOccurrences.scheduleId, scheduleId),
        eq(recurringOccurrences.companyId, scope.companyId),
        f.before === undefined ? undefined : lt(recurringOccurrences.scheduledAt, f.before),
      ),
    )
    .orderBy(desc(recurringOccurrences.scheduledAt))
    .limit(f.limit);
}

export const insertOccurrence = (db: Database, row: typeof recurringOccurrences.$inferInsert) =>
  db.insert(recurringOccurrences).values(row).onConflictDoNothing();

export const updateOccurrence = (
  db: Database,
  id: string,
  set: Partial<typeof recurringOccurrences.$inferInsert>,
) => db.update(recurringOccurrences).set(set).where(eq(recurringOccurrences.id, id));

/**
 * The cron's one query: claims the schedules due at `now` that no run handed to the queue within the lease
 * (a double fire or an overlapping run finds them claimed), and answers each with its due instant. An
 * `UPDATE … RETURNING` over the `next_due_at` index: claiming and reading are one atomic statement.
 */
export function claimDue(db: Database, now: number, leaseMs: number, limit: number) {
  const due = db
    .select({ id: recurringOrders.id })
    .from(recurringOrders)
    .where(
      and(
        lte(recurringOrders.nextDueAt, now),
        or(
          sql`${recurringOrders.enqueuedFor} IS NULL`,
          ne(recurringOrders.enqueuedFor, recurringOrders.nextDueAt),
          lte(recurringOrders.enqueuedAt, now - leaseMs),
        ),
      ),
    )
    .orderBy(asc(recurringOrders.nextDueAt))
    .limit(limit);
  return db
    .update(recurringOrders)
    .set({ enqueuedFor: sql`${recurringOrders.nextDueAt}`, enqueuedAt: now })
    .where(inArray(recurringOrders.id, due))
    .returning({ id: recurringOrders.id, nextDueAt: recurringOrders.nextDueAt });
}

/**
 * Everything placing an occurrence checks first, in one round trip: the schedule, its owner (status,
 * company status, permissions, name and email for the notification), the company's country, whether the
 * ship-to and cost center are still active, and the occurrence row if one was claimed before.
 */
export async function placementFacts(db: Database, scheduleId: string, scheduledAt: number) {
  const rows = await batchRead(db, {
    schedule: db.select().from(recurringOrders).where(eq(recurringOrders.id, scheduleId)).limit(1),
    occurrence: db
      .select()
      .from(recurringOccurrences)
      .where(
        and(
          eq(recurringOccurrences.scheduleId, scheduleId),
          eq(recurringOccurrences.scheduledAt, scheduledAt),
        ),
      )
      .limit(1),
    owner: db
      .select({
        id: users.id,
        name: users.name,
        email: users.email,
        status: users.status,
        companyId: users.companyId,
        companyStatus: sql<string>`${companies.status}`.as('company_status'),
        country: companies.country,
      })
      .from(recurringOrders)
      .innerJoin(users, eq(users.id, recurringOrders.ownerId))
      .innerJoin(companies, eq(companies.id, recurringOrders.companyId))
      .where(eq(recurringOrders.id, scheduleId))
      .limit(1),
    permissions: db
      .select({ permission: rolePermissions.permission })
      .from(recurringOrders)
      .innerJoin(userRoles, eq(userRoles.userId, recurringOrders.ownerId))
      .innerJoin(rolePermissions, eq(rolePermissions.roleId, userRoles.roleId))
      .where(eq(recurringOrders.id, scheduleId)),
    site: db
      .select({ status: sites.status })
      .from(recurringOrders)
      .innerJoin(
        sites,
        and(eq(sites.id, recurringOrders.shipToSiteId), eq(sites.companyId, recurringOrders.companyId)),
      )
      .where(eq(recurringOrders.id, scheduleId)),
    center: db
      .select({ status: costCenters.status })
      .from(recurringOrders)
      .innerJoin(
        costCenters,
        and(
          eq(costCenters.id, recurringOrders.costCenterId),
          eq(costCenters.companyId, recurringOrders.companyId),
        ),
      )
      .where(and(eq(recurringOrders.id, scheduleId), isNotNull(recurringOrders.costCenterId))),
  });
  const owner = rows.owner[0];
  return {
    schedule: rows.schedule[0],
    occurrence: rows.occurrence[0],
    owner: owner ? { ...owner, permissions: new Set(rows.permissions.map((p) => p.permission)) } : undefined,
    shipToActive: rows.site[0]?.status === 'active',
    costCenterActive: rows.center[0]?.status === 'active',
  };
}

/** Pack size and unit of each SKU: a replacement is used only in the same pack. */
export async function packsOf(db: Database, skus: readonly string[]) {
  if (skus.length === 0)
    return new Map<string, { packSize: number; unit: string; replacement: string | null }>();
  // a 200-line order names more SKUs than D1 binds in one statement
  const rows = await inChunks(skus, (part) =>
    db
      .select({
        sku: products.sku,
        packSize: products.packSize,
        unit: products.unitOfMeasure,
        replacement: products.replacementSku,
      })
      .from(products)
      .where(inArray(products.sku, part)),
  );
  return new Map(
    rows.map((r) => [r.sku, { packSize: r.packSize, unit: r.unit, replacement: r.replacement }]),
  );
}

/** Company details schedules take defaults from: country (time zone, holidays) and default ship-to. */
export async function scheduleDefaults(scope: CompanyScope) {
  const rows = await batchRead(scope.db, {
    company: scope.db
      .select({ country: companies.country })
      .from(companies)
      .where(eq(companies.id, scope.companyId))
      .limit(1),
    sites: scope.db
      .select({ id: sites.id, isDefaultShipTo: sites.isDefaultShipTo })
      .from(sites)
      .where(and(eq(sites.companyId, scope.companyId), eq(sites.status, 'active'))),
    centers: scope.db
      .select({ id: costCenters.id })
      .from(costCenters)
      .where(and(eq(costCenters.companyId, scope.companyId), eq(costCenters.status, 'active'))),
  });
  return {
    country: rows.company[0]?.country ?? 'ZZ',
    siteIds: new Set(rows.sites.map((s) => s.id)),
    defaultShipTo: rows.sites.find((s) => s.isDefaultShipTo)?.id ?? null,
    costCenterIds: new Set(rows.centers.map((c) => c.id)),
  };
}
