/** Loopback ports: free ones for test and localnet nodes, never the same one twice in a process. */
import net from 'node:net';

export const LOCALHOST = '127.0.0.1';

/** A TCP port free on 127.0.0.1 right now (bind port 0, read it, release it). */
export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = net.createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, LOCALHOST, () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolvePort(port));
    });
  });
}

/** Ports this process has handed out: a port freed by one caller must not go to the next one. */
const handedOut = new Set<number>();

/**
 * `n` distinct free ports (held together while choosing, so they cannot collide with each other,
 * and never one this process handed out before: separate calls, e.g. two chains started one after
 * the other, would otherwise race for a port the first has not bound yet).
 */
export async function freePorts(n: number): Promise<number[]> {
  const servers: net.Server[] = [];
  const chosen: number[] = [];
  try {
    while (chosen.length < n) {
      if (servers.length > n + 200) throw new Error('could not find free loopback ports');
      const server = net.createServer();
      servers.push(server);
      await new Promise<void>((ok, fail) => {
        server.once('error', fail);
        server.listen(0, LOCALHOST, () => ok());
      });
      const port = (server.address() as net.AddressInfo).port;
      if (!handedOut.has(port)) chosen.push(port);
    }
    for (const port of chosen) handedOut.add(port);
    return chosen;
  } finally {
    await Promise.all(servers.map((s) => new Promise<void>((r) => s.close(() => r()))));
  }
}
