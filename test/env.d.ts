import type { D1Migration } from 'cloudflare:test';
import type { Env as WorkerEnv } from '../src/env';

declare global {
  namespace Cloudflare {
    interface GlobalProps {
      mainModule: typeof import('../src/index');
      durableNamespaces: 'OrganizationDO' | 'RateLimiterDO';
    }
    interface Env extends WorkerEnv {
      TEST_MIGRATIONS: D1Migration[];
      TEST_SEED: string[];
      TEST_CREDENTIALS: {
        logins: { email: string; password: string }[];
        apiKeys: { erp: string; partner: string };
      };
    }
  }
}
