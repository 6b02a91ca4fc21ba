import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';

export interface Asset {
  /** Where pages link it: the name carries a hash of the content, so it can be cached forever. */
  path: string;
  type: string;
  body: Buffer;
}

function asset(file: string, type: string): Asset {
  const body = readFileSync(new URL(file, import.meta.url));
  const hash = createHash('sha256').update(body).digest('hex').slice(0, 12);
  const [name, extension] = file.split('.');
  return { path: `/assets/${name}.${hash}.${extension}`, type, body };
}

export const stylesheet = asset('ates.css', 'text/css; charset=utf-8');
export const favicon = asset('favicon.svg', 'image/svg+xml');
