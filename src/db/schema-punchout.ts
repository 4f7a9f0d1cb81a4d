import { sql } from 'drizzle-orm';
import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import {
  PUNCHOUT_FORM_ENCODINGS,
  PUNCHOUT_OPERATIONS,
  PUNCHOUT_PROTOCOLS,
  PUNCHOUT_SESSION_STATES,
} from '../domain/punchout-terms';
import { companies } from './schema-core';

const createdAt = () => integer('created_at').notNull().default(sql`(unixepoch('subsec') * 1000)`);

/**
 * Punch-out (docs/punchout.md): a partner is one procurement system of one customer company, speaking cXML
 * or OCI. Secrets are stored as SHA-256 hashes of random values shown once; they are compared in constant
 * time. Times are epoch milliseconds.
 */
export const punchoutPartners = sqliteTable(
  'punchout_partners',
  {
    id: text('id').primaryKey(),
    name: text('name').notNull(),
    protocol: text('protocol', { enum: PUNCHOUT_PROTOCOLS }).notNull(),
    companyId: text('company_id')
      .notNull()
      .references(() => companies.id),
    status: text('status', { enum: ['active', 'disabled'] })
      .notNull()
      .default('active'),
    // cXML: the Sender credential (domain, identity) that authenticates with the shared secret
    senderDomain: text('sender_domain'),
    senderIdentity: text('sender_identity'),
    // cXML: the From credential naming the buying organisation, when it differs from the Sender
    fromDomain: text('from_domain'),
    fromIdentity: text('from_identity'),
    // cXML SharedSecret, or the OCI PASSWORD: SHA-256 hex of the secret
    secretHash: text('secret_hash').notNull(),
    // OCI USERNAME (unique among OCI partners)
    ociUsername: text('oci_username'),
    // the user sessions and orders act as when the request names nobody the company knows
    defaultUserId: text('default_user_id'),
    // create unknown users (by e-mail) in the company with the built-in punch-out role
    provisionUsers: integer('provision_users', { mode: 'boolean' }).notNull().default(false),
    // accepted difference between a posted unit price and ours, in basis points of ours (100 = 1 %)
    priceToleranceBp: integer('price_tolerance_bp').notNull().default(0),
    // orders posted by this partner were approved in its system: the company's approval rules are skipped
    trustApprovals: integer('trust_approvals', { mode: 'boolean' }).notNull().default(false),
    formEncoding: text('form_encoding', { enum: PUNCHOUT_FORM_ENCODINGS })
      .notNull()
      .default('cxml-urlencoded'),
    // OCI: extra NEW_ITEM fields filled from product attributes, e.g. { "MATGROUP": "unspsc", "CUST_FIELD1": "brand" }
    ociFieldMap: text('oci_field_map', { mode: 'json' })
      .$type<Record<string, string>>()
      .notNull()
      .default({}),
    // the language of the shop when the request names none: en, fr or de
    defaultLanguage: text('default_language').notNull().default('en'),
    createdBy: text('created_by'),
    createdAt: createdAt(),
    updatedAt: integer('updated_at').notNull(),
    secretRotatedAt: integer('secret_rotated_at'),
  },
  (t) => [
    uniqueIndex('punchout_partners_sender_uq').on(t.senderDomain, t.senderIdentity),
    uniqueIndex('punchout_partners_oci_user_uq').on(t.ociUsername),
    index('punchout_partners_company_idx').on(t.companyId),
  ],
);

/**
 * One punch-out visit: from the setup request to the transfer back. The cart lives in the company's object
 * (owned by the session's user); this row is the server-side state procurement browsers cannot keep.
 */
export const punchoutSessions = sqliteTable(
  'punchout_sessions',
  {
    id: text('id').primaryKey(),
    partnerId: text('partner_id')
      .notNull()
      .references(() => punchoutPartners.id),
    companyId: text('company_id')
      .notNull()
      .references(() => companies.id),
    userId: text('user_id').notNull(),
    protocol: text('protocol', { enum: PUNCHOUT_PROTOCOLS }).notNull(),
    operation: text('operation', { enum: PUNCHOUT_OPERATIONS }).notNull(),
    state: text('state', { enum: PUNCHOUT_SESSION_STATES }).notNull(),
    // cXML BuyerCookie (OCI: none); echoed in the order message
    buyerCookie: text('buyer_cookie'),
    // where the transfer posts: cXML BrowserFormPost URL or OCI HOOK_URL (checked by the public-URL rule)
    returnUrl: text('return_url'),
    // OCI ~target, ~OkCode, ~caller; cXML extrinsics and ship-to as sent, for the shop and the log
    returnFields: text('return_fields', { mode: 'json' })
      .$type<Record<string, string>>()
      .notNull()
      .default({}),
    cartId: text('cart_id').notNull(),
    language: text('language').notNull(),
    // the setup request's payloadID (cXML)
    payloadId: text('payload_id'),
    // SHA-256 hex of the one-time start-page code; null once exchanged
    codeHash: text('code_hash'),
    codeExpiresAt: integer('code_expires_at').notNull(),
    // SHA-256 hex of the shop's session key (the start page's links carry the key, not a cookie)
    shopKeyHash: text('shop_key_hash'),
    createdAt: createdAt(),
    expiresAt: integer('expires_at').notNull(),
    exchangedAt: integer('exchanged_at'),
    transferredAt: integer('transferred_at'),
  },
  (t) => [
    uniqueIndex('punchout_sessions_code_uq').on(t.codeHash),
    uniqueIndex('punchout_sessions_shop_key_uq').on(t.shopKeyHash),
    index('punchout_sessions_partner_idx').on(t.partnerId, t.createdAt),
    index('punchout_sessions_cookie_idx').on(t.buyerCookie),
  ],
);

/**
 * Every punch-out request and answer, as sent (secrets redacted, long bodies cut), kept 30 days: support
 * finds an exchange by partner, company, BuyerCookie or payloadID.
 */
export const punchoutLog = sqliteTable(
  'punchout_log',
  {
    id: text('id').primaryKey(),
    partnerId: text('partner_id'),
    companyId: text('company_id'),
    sessionId: text('session_id'),
    // cxml.setup, cxml.order, cxml.order_message, oci.setup, oci.transfer, partner_api.order, …
    kind: text('kind').notNull(),
    direction: text('direction', { enum: ['in', 'out'] }).notNull(),
    payloadId: text('payload_id'),
    buyerCookie: text('buyer_cookie'),
    // the cXML status code, or the HTTP status
    status: integer('status').notNull(),
    body: text('body').notNull(),
    requestId: text('request_id'),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [
    index('punchout_log_created_idx').on(t.createdAt),
    index('punchout_log_partner_idx').on(t.partnerId, t.createdAt),
    index('punchout_log_company_idx').on(t.companyId, t.createdAt),
    index('punchout_log_payload_idx').on(t.payloadId),
    index('punchout_log_cookie_idx').on(t.buyerCookie),
  ],
);

/**
 * Orders posted by a partner (cXML OrderRequest): one row per payloadID and one per the buyer's order id,
 * so the same document posted twice answers the first answer and places one order.
 */
export const punchoutOrderRequests = sqliteTable(
  'punchout_order_requests',
  {
    id: text('id').primaryKey(),
    partnerId: text('partner_id')
      .notNull()
      .references(() => punchoutPartners.id),
    companyId: text('company_id').notNull(),
    payloadId: text('payload_id').notNull(),
    // the buyer's orderID (their PO number) and the request type: new, update, delete
    buyerOrderId: text('buyer_order_id').notNull(),
    requestType: text('request_type', { enum: ['new', 'update', 'delete'] }).notNull(),
    // SHA-256 of the request's business content: a repeat with other content is a conflict
    fingerprint: text('fingerprint').notNull(),
    orderId: text('order_id'),
    statusCode: integer('status_code').notNull(),
    statusText: text('status_text').notNull(),
    // the cXML Response as answered the first time
    response: text('response').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('punchout_order_requests_payload_uq').on(t.partnerId, t.payloadId),
    index('punchout_order_requests_order_idx').on(t.partnerId, t.buyerOrderId),
  ],
);
