// The whole schema in one import for drizzle-kit and for queries; the schema files import each other
// directly (never through this barrel), so no module cycle forms.
export * from './schema-core';
export * from './schema-erp';
export * from './schema-invitations';
export * from './schema-kpi';
export * from './schema-lists';
export * from './schema-offers';
export * from './schema-orders';
export * from './schema-pricing';
export * from './schema-punchout';
export * from './schema-quotes';
export * from './schema-recurring';
export * from './schema-rep';
export * from './schema-search';
