import { runService } from '@ates/platform/service';
import { analyticsService } from './service.ts';

await runService(analyticsService);
