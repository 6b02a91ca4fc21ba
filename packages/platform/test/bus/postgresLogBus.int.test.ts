import { freshDatabase } from '../../../../tools/test/databases.ts';
import { PostgresLogBus } from '../../src/bus/index.ts';
import { describeBusContract } from './busContract.ts';

let busUrl = '';

describeBusContract('PostgreSQL log', {
  async freshBus() {
    busUrl = await freshDatabase('bus');
    return PostgresLogBus.connect(busUrl, { safetyPollMs: 60_000 });
  },
  childEnv: () => ({ BUS_URL: busUrl }),
  consumerDatabaseUrl: () => freshDatabase('consumer'),
});
