import { parseArgs } from 'node:util';
import { ADMIN_ENDPOINTS } from '../erp-sim/admin';
import { ERP_SIM_HOST, ERP_SIM_PORT, serveErpSimulator } from './erp-sim-server';

/**
 * `npm run erp-sim -- [--port 8788] [--backend http://127.0.0.1:8787] [--api-key b2bk_…] [--state file]
 * [--manual-clock]`: the reference ERP on its own, for a backend started some other way. `npm start` runs it
 * for you, wired to the local backend.
 */
const { values } = parseArgs({
  options: {
    port: { type: 'string', default: String(ERP_SIM_PORT) },
    host: { type: 'string', default: ERP_SIM_HOST },
    backend: { type: 'string' },
    'api-key': { type: 'string' },
    state: { type: 'string', default: '.wrangler/erp-sim/state.json' },
    'manual-clock': { type: 'boolean', default: false },
  },
});

const running = await serveErpSimulator({
  host: values.host,
  port: Number(values.port),
  backendUrl: values.backend,
  apiKey: values['api-key'],
  stateFile: values.state,
  realTimeEveryMs: values['manual-clock'] ? 0 : 5000,
});
console.log(`Reference ERP simulator on ${running.url} (state: ${values.state})`);
for (const line of ADMIN_ENDPOINTS) console.log(`  ${line}`);
if (!values.backend) console.log('No --backend: events and pushes wait until PUT /admin/config names one.');

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    void running.close().then(() => process.exit(0));
  });
}
