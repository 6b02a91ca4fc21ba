import { runService } from '@ates/platform/service';
import { authService } from './service.ts';

await runService(authService);
