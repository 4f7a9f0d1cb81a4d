/// <reference types="vite/client" />
import { env } from 'cloudflare:test';

/**
 * Punch-out test ground: partners written straight into D1 (the admin API has its own tests), fixture
 * documents from the shared sample set, and posting raw documents to the Worker.
 */
export interface TestPartner {
  id: string;
  protocol: 'cxml' | 'oci';
  companyId: string;
  secret: string;
  senderDomain: string | null;
  senderIdentity: string | null;
  ociUsername: string | null;
}

async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}

let counter = 0;

/** A partner of Acme by default; every call makes a new one (unique credentials). */
export async function createTestPartner(
  options: Partial<{
    protocol: 'cxml' | 'oci';
    companyId: string;
    secret: string;
    senderDomain: string;
    senderIdentity: string;
    ociUsername: string;
    defaultUserId: string | null;
    provisionUsers: boolean;
    priceToleranceBp: number;
    trustApprovals: boolean;
    formEncoding: 'cxml-urlencoded' | 'cxml-base64';
    ociFieldMap: Record<string, string>;
    defaultLanguage: string;
    status: 'active' | 'disabled';
  }> = {},
): Promise<TestPartner> {
  counter += 1;
  const id = `pop_test_${Date.now().toString(36)}_${counter}`;
  const protocol = options.protocol ?? 'cxml';
  const secret = options.secret ?? `secret-${id}`;
  const partner: TestPartner = {
    id,
    protocol,
    companyId: options.companyId ?? 'co_acme',
    secret,
    senderDomain: protocol === 'cxml' ? (options.senderDomain ?? 'NetworkID') : null,
    senderIdentity: protocol === 'cxml' ? (options.senderIdentity ?? `sender-${id}`) : null,
    ociUsername: protocol === 'oci' ? (options.ociUsername ?? `oci-${id}`) : null,
  };
  await env.DB.prepare(
    `INSERT INTO punchout_partners (id, name, protocol, company_id, status, sender_domain, sender_identity,
      secret_hash, oci_username, default_user_id, provision_users, price_tolerance_bp, trust_approvals,
      form_encoding, oci_field_map, default_language, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  )
    .bind(
      id,
      `Test partner ${counter}`,
      protocol,
      partner.companyId,
      options.status ?? 'active',
      partner.senderDomain,
      partner.senderIdentity,
      await sha256Hex(secret),
      partner.ociUsername,
      options.defaultUserId === undefined ? 'usr_acme_buyer' : options.defaultUserId,
      options.provisionUsers ? 1 : 0,
      options.priceToleranceBp ?? 0,
      options.trustApprovals ? 1 : 0,
      options.formEncoding ?? 'cxml-urlencoded',
      JSON.stringify(options.ociFieldMap ?? {}),
      options.defaultLanguage ?? 'en',
      Date.now(),
    )
    .run();
  return partner;
}

/**
 * The sample documents other implementations wrote (test/fixtures/punchout, byte-for-byte copies under
 * their MIT/ISC licences; README.md there says where each comes from), by file name.
 */
export const CXML_FIXTURES: Record<string, string> = Object.fromEntries(
  Object.entries(
    import.meta.glob<string>('../fixtures/punchout/cxml/*.xml', {
      query: '?raw',
      import: 'default',
      eager: true,
    }),
  ).map(([path, text]) => [path.slice(path.lastIndexOf('/') + 1), text]),
);
export const OCI_FIXTURES: Record<string, string> = Object.fromEntries(
  Object.entries(
    import.meta.glob<string>('../fixtures/punchout/oci/*.txt', {
      query: '?raw',
      import: 'default',
      eager: true,
    }),
  ).map(([path, text]) => [path.slice(path.lastIndexOf('/') + 1), text]),
);
