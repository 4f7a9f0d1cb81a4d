import type { D1Migration } from 'cloudflare:test';
import type { DeclaredConfig } from './declared-config';

// The bindings the test pool adds (vitest.config.ts), typed for test code only: src/ is typechecked without
// this file (tsconfig.src.json), so the Worker cannot come to rely on them. The Worker's own bindings come from
// worker-configuration.d.ts (`npm run types`).
declare global {
  namespace Cloudflare {
    interface Env {
      TEST_MIGRATIONS: D1Migration[];
      TEST_SEED: string[];
      TEST_FAULTS: boolean;
      TEST_CREDENTIALS: {
        logins: { email: string; password: string }[];
        apiKeys: { erp: string; partner: string };
        punchout: {
          cxml: { partnerId: string; senderDomain: string; senderIdentity: string; sharedSecret: string };
          oci: { partnerId: string; username: string; password: string };
        };
      };
      TEST_DECLARED: DeclaredConfig;
      /** [vars] vitest.config.ts sets to other values than wrangler.toml, on purpose */
      TEST_VAR_OVERRIDES: Record<string, string>;
    }
  }
}
