import { createServer } from 'node:net';

/**
 * Where ports are drawn from: below 32768, where Linux starts the ports it gives outgoing
 * connections (net.ipv4.ip_local_port_range). A port the kernel picks for a listener is
 * from that range too, so between the probe and the listen a database or HTTP
 * connection could take it as its own end: a parallel test run failed with EADDRINUSE
 * on such a port.
 */
const freePortRange = { from: 20_000, to: 32_000 } as const;

/**
 * A port is drawn well before anything listens on it: a test file draws its five
 * services' ports, then creates their databases, then starts them. Two test workers
 * drew the same port in that window and one failed with EADDRINUSE (a CI run of 27 Nov).
 * So processes that run side by side draw from slices of the range of their own, named
 * by `VITEST_POOL_ID` (a test worker's number, 1 to maxWorkers; 0 in any other process),
 * and a process never hands out the same port twice.
 */
const slices = 4;

function slice(): { from: number; size: number } {
  const size = Math.floor((freePortRange.to - freePortRange.from) / slices);
  const index = Number(process.env['VITEST_POOL_ID'] ?? 0) % slices;
  return { from: freePortRange.from + index * size, size };
}

const handedOut = new Set<number>();

/** Whether a loopback listener can take `port` now. */
function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
}

/** A loopback port nobody listens on right now, outside the range outgoing connections use. */
export async function freePort(): Promise<number> {
  const { from, size } = slice();
  for (let tries = 0; tries < 100; tries += 1) {
    const port = from + Math.floor(Math.random() * size);
    if (handedOut.has(port)) continue;
    // Taken before the probe, so draws running at once never probe the same port.
    handedOut.add(port);
    if (await canListen(port)) return port;
  }
  throw new Error(`no free port between ${from} and ${from + size}`);
}
