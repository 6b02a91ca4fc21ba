import { createServer } from 'node:net';

/**
 * Where ports are drawn from: below 32768, where Linux starts the ports it gives outgoing
 * connections (net.ipv4.ip_local_port_range). A port the kernel picks for a listener is
 * from that range too, so between the probe and the listen a database or HTTP
 * connection could take it as its own end: a parallel test run failed with EADDRINUSE
 * on such a port.
 */
const freePortRange = { from: 20_000, to: 32_000 } as const;

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
  for (let tries = 0; tries < 100; tries += 1) {
    const port = freePortRange.from + Math.floor(Math.random() * (freePortRange.to - freePortRange.from));
    if (await canListen(port)) return port;
  }
  throw new Error(`no free port between ${freePortRange.from} and ${freePortRange.to}`);
}
