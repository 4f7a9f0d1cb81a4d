import * as v from 'valibot';
import { MAX_OCI_FIELD_MAP_ENTRIES } from '../domain/punchout/oci-field-map';
import {
  PUNCHOUT_FORM_ENCODINGS,
  PUNCHOUT_LANGUAGES,
  PUNCHOUT_OPERATIONS,
  PUNCHOUT_PROTOCOLS,
  PUNCHOUT_SESSION_STATES,
} from '../domain/punchout-terms';
import { PageParams } from '../http/paging';
import { IdSchema, InstantSchema, instantWindow, NameSchema, text } from './schemas';

/** The request and answer shapes of /v1/admin/punchout (docs/punchout.md, "Administration and support"). */
const oneOf = <T extends readonly string[]>(values: T) => v.picklist(values, `one of ${values.join(', ')}`);
export const ProtocolSchema = oneOf(PUNCHOUT_PROTOCOLS);
const PartnerStatus = oneOf(['active', 'disabled'] as const);
const Credential = (max: number) => v.nullable(text({ max }));
// OCI usernames travel in start URLs and forms: no spaces, nothing that needs quoting
const OciUsername = v.nullable(
  v.pipe(v.string(), v.regex(/^[A-Za-z0-9._@-]{1,100}$/, 'letters, digits, ., _, @ and -; at most 100')),
);

/** What both a new partner and a change take; protocol and company are fixed once the partner exists. */
export const partnerSettings = {
  name: NameSchema,
  senderDomain: v.optional(Credential(100)),
  senderIdentity: v.optional(Credential(200)),
  fromDomain: v.optional(Credential(100)),
  fromIdentity: v.optional(Credential(200)),
  ociUsername: v.optional(OciUsername),
  defaultUserId: v.optional(v.nullable(IdSchema)),
  provisionUsers: v.optional(v.boolean()),
  // basis points of our unit price a posted unit price may differ by (100 = 1 %)
  priceToleranceBp: v.optional(
    v.pipe(v.number(), v.integer('basis points are integers'), v.minValue(0), v.maxValue(10_000)),
  ),
  trustApprovals: v.optional(v.boolean()),
  formEncoding: v.optional(oneOf(PUNCHOUT_FORM_ENCODINGS)),
  ociFieldMap: v.optional(
    v.pipe(
      v.record(v.string(), v.pipe(v.string(), v.maxLength(80))),
      v.check(
        (map) => Object.keys(map).length <= MAX_OCI_FIELD_MAP_ENTRIES,
        `at most ${MAX_OCI_FIELD_MAP_ENTRIES} fields`,
      ),
    ),
  ),
  defaultLanguage: v.optional(oneOf(PUNCHOUT_LANGUAGES)),
};

export const NewPartnerBody = v.strictObject({
  ...partnerSettings,
  protocol: ProtocolSchema,
  companyId: IdSchema,
});

export const Partner = v.object({
  id: v.string(),
  name: v.string(),
  protocol: ProtocolSchema,
  companyId: v.string(),
  status: PartnerStatus,
  senderDomain: v.nullable(v.string()),
  senderIdentity: v.nullable(v.string()),
  fromDomain: v.nullable(v.string()),
  fromIdentity: v.nullable(v.string()),
  ociUsername: v.nullable(v.string()),
  defaultUserId: v.nullable(v.string()),
  provisionUsers: v.boolean(),
  priceToleranceBp: v.number(),
  trustApprovals: v.boolean(),
  formEncoding: oneOf(PUNCHOUT_FORM_ENCODINGS),
  ociFieldMap: v.record(v.string(), v.string()),
  defaultLanguage: v.string(),
  createdBy: v.nullable(v.string()),
  createdAt: v.number(),
  updatedAt: v.number(),
  secretRotatedAt: v.nullable(v.number()),
});

/** Create and rotate-secret: the secret in plain text, this once. */
export const PartnerWithSecret = v.object({ ...Partner.entries, secret: v.string() });

export const PartnersQuery = v.strictObject({
  companyId: v.optional(IdSchema),
  protocol: v.optional(ProtocolSchema),
  status: v.optional(PartnerStatus),
  ...PageParams,
});
export const PartnersCursor = v.object({ n: v.string(), i: v.string() });

export const LogQuery = v.pipe(
  v.strictObject({
    partnerId: v.optional(IdSchema),
    companyId: v.optional(IdSchema),
    buyerCookie: v.optional(text({ max: 250 })),
    payloadId: v.optional(text({ max: 250 })),
    kind: v.optional(text({ max: 60 })),
    from: v.optional(InstantSchema),
    to: v.optional(InstantSchema),
    ...PageParams,
  }),
  instantWindow('from', 'to', { strict: false }),
);
export const NewestCursor = v.object({ at: v.number(), id: v.string() });

export const LogSummary = v.object({
  id: v.string(),
  partnerId: v.nullable(v.string()),
  companyId: v.nullable(v.string()),
  sessionId: v.nullable(v.string()),
  kind: v.string(),
  direction: oneOf(['in', 'out'] as const),
  payloadId: v.nullable(v.string()),
  buyerCookie: v.nullable(v.string()),
  status: v.number(),
  requestId: v.nullable(v.string()),
  createdAt: v.number(),
  // characters of the body as kept (after redaction and the cut)
  bodyLength: v.number(),
});
export const LogEntry = v.object({ ...LogSummary.entries, body: v.string() });

export const SessionsQuery = v.strictObject({
  partnerId: v.optional(IdSchema),
  companyId: v.optional(IdSchema),
  state: v.optional(oneOf(PUNCHOUT_SESSION_STATES)),
  ...PageParams,
});

export const Session = v.object({
  id: v.string(),
  partnerId: v.string(),
  companyId: v.string(),
  userId: v.string(),
  protocol: ProtocolSchema,
  operation: oneOf(PUNCHOUT_OPERATIONS),
  state: oneOf(PUNCHOUT_SESSION_STATES),
  buyerCookie: v.nullable(v.string()),
  returnUrl: v.nullable(v.string()),
  returnFields: v.record(v.string(), v.string()),
  cartId: v.string(),
  language: v.string(),
  payloadId: v.nullable(v.string()),
  codeExpiresAt: v.number(),
  createdAt: v.number(),
  expiresAt: v.number(),
  exchangedAt: v.nullable(v.number()),
  transferredAt: v.nullable(v.number()),
});
