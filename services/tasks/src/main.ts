import { runService } from '@ates/platform/service';
import { tasksService } from './service.ts';

await runService(tasksService);
