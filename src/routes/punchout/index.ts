import { Hono } from 'hono';
import type { AppEnv } from '../../http/context';
import { cxmlOrderRoutes } from './cxml-order';
import { cxmlSetupRoutes } from './cxml-setup';
import { ociRoutes } from './oci';
import { sessionRoutes } from './sessions';
import { shopRoutes } from './shop';

/**
 * Punch-out (docs/punchout.md): procurement systems speak cXML (`/punchout/cxml/*`) and SAP OCI
 * (`/punchout/oci`); buyers land on the start page and shop in `/punchout/shop/{key}/…`. Each route reads
 * its own body (cXML documents, OCI forms) with its own size cap, and answers in its protocol: cXML callers
 * get a cXML Status, never problem+json.
 */
export function punchoutApi() {
  const api = new Hono<AppEnv>();
  api.route('/cxml', cxmlSetupRoutes);
  api.route('/cxml', cxmlOrderRoutes);
  api.route('/oci', ociRoutes);
  api.route('/', sessionRoutes);
  api.route('/shop', shopRoutes);
  return api;
}
