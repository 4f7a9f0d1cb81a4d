import { sha256Hex } from '../src/domain/api-keys';
import { CXML_DTD } from '../src/domain/punchout/cxml-document';
import { FIXED_TIME, type Row } from './demo-products';

/**
 * The demo punch-out partners of Acme (docs/punchout.md): a Coupa-like cXML partner and an SAP SRM OCI
 * partner. Their secrets come from the demo identity stream like the demo API keys: fixed for a seed,
 * printed by `npm start`, and only ever written by the demo seed into an empty local database.
 */
export interface DemoPunchout {
  cxml: { partnerId: string; senderDomain: string; senderIdentity: string; sharedSecret: string };
  oci: { partnerId: string; username: string; password: string };
}

const ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789';
const secretOf = (prefix: string, bytes: Uint8Array) =>
  `${prefix}${Array.from(bytes, (b) => ALPHABET[b % ALPHABET.length]).join('')}`;

export function demoPunchout(bytes: (n: number) => Uint8Array): DemoPunchout {
  return {
    cxml: {
      partnerId: 'pop_demo_coupa',
      senderDomain: 'NetworkID',
      senderIdentity: 'acme-coupa',
      sharedSecret: secretOf('demo-coupa-', bytes(32)),
    },
    oci: { partnerId: 'pop_demo_sap_srm', username: 'acme-srm', password: secretOf('demo-srm-', bytes(32)) },
  };
}

export async function punchoutPartnerRows(demo: DemoPunchout): Promise<Row[]> {
  const common = {
    company_id: 'co_acme',
    status: 'active',
    from_domain: null,
    from_identity: null,
    default_user_id: 'usr_acme_buyer',
    trust_approvals: false,
    form_encoding: 'cxml-urlencoded',
    created_by: 'usr_ops',
    created_at: FIXED_TIME,
    updated_at: FIXED_TIME,
    secret_rotated_at: FIXED_TIME,
  };
  return [
    {
      ...common,
      id: demo.cxml.partnerId,
      name: 'Coupa (demo)',
      protocol: 'cxml',
      sender_domain: demo.cxml.senderDomain,
      sender_identity: demo.cxml.senderIdentity,
      secret_hash: await sha256Hex(demo.cxml.sharedSecret),
      oci_username: null,
      provision_users: true,
      price_tolerance_bp: 100,
      oci_field_map: '{}',
      default_language: 'en',
    },
    {
      ...common,
      id: demo.oci.partnerId,
      name: 'SAP SRM (demo)',
      protocol: 'oci',
      sender_domain: null,
      sender_identity: null,
      secret_hash: await sha256Hex(demo.oci.password),
      oci_username: demo.oci.username,
      provision_users: false,
      price_tolerance_bp: 0,
      oci_field_map: JSON.stringify({ MATGROUP: 'unspsc', CUST_FIELD1: 'brand' }),
      default_language: 'fr',
    },
  ];
}

/** The setup request a procurement system would send, as a copy-paste curl (payloadID unique per run). */
export function punchoutBanner(base: string, demo: DemoPunchout): string[] {
  const hook = `${base}/health`;
  const ociStart =
    `${base}/punchout/oci?USERNAME=${demo.oci.username}&PASSWORD=${demo.oci.password}` +
    `&HOOK_URL=${encodeURIComponent(hook)}&~OkCode=ADDI&~target=_top&~caller=CTLG`;
  return [
    '  Punch-out partners of Acme Industrie (demo only; docs/punchout.md):',
    `    cXML  Coupa (demo)    sender ${demo.cxml.senderDomain}/${demo.cxml.senderIdentity}  SharedSecret ${demo.cxml.sharedSecret}`,
    `    OCI   SAP SRM (demo)  USERNAME ${demo.oci.username}  PASSWORD ${demo.oci.password}`,
    "  A cXML setup request (the answer's StartPage URL opens the shop; the transfer posts to a harmless local page):",
    `    curl -s -X POST ${base}/punchout/cxml/setup -H 'content-type: text/xml; charset=utf-8' --data-binary @- <<XML`,
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<!DOCTYPE cXML SYSTEM "${CXML_DTD}">`,
    '<cXML payloadID="$(date +%s).demo@coupa.example" timestamp="$(date -u +%Y-%m-%dT%H:%M:%S+00:00)" xml:lang="en-US">',
    '  <Header>',
    `    <From><Credential domain="${demo.cxml.senderDomain}"><Identity>${demo.cxml.senderIdentity}</Identity></Credential></From>`,
    '    <To><Credential domain="NetworkID"><Identity>edge-b2b-supplier</Identity></Credential></To>',
    `    <Sender><Credential domain="${demo.cxml.senderDomain}"><Identity>${demo.cxml.senderIdentity}</Identity>`,
    `      <SharedSecret>${demo.cxml.sharedSecret}</SharedSecret></Credential><UserAgent>Coupa (demo)</UserAgent></Sender>`,
    '  </Header>',
    '  <Request deploymentMode="test">',
    '    <PunchOutSetupRequest operation="create">',
    '      <BuyerCookie>demo-cookie-$(date +%s)</BuyerCookie>',
    '      <Extrinsic name="UserEmail">buyer@acme.example</Extrinsic>',
    `      <BrowserFormPost><URL>${hook}</URL></BrowserFormPost>`,
    `      <SupplierSetup><URL>${base}/punchout/cxml/setup</URL></SupplierSetup>`,
    '    </PunchOutSetupRequest>',
    '  </Request>',
    '</cXML>',
    'XML',
    '  An OCI start (open in a browser):',
    `    ${ociStart}`,
  ];
}
