import { runService } from '@ates/platform/service';
import { notificationsService } from './service.ts';

await runService(notificationsService);
