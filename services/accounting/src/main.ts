import { runService } from '@ates/platform/service';
import { accountingService } from './service.ts';

await runService(accountingService);
