import { createServer, type Server, type Socket } from 'node:net';

/**
 * A TCP listener on loopback that accepts and drops every connection: the offline renderer's
 * browser is launched with this as its only proxy (loopback included), so whatever Chromium would
 * open by itself — `<link rel=preconnect>`, which opens a socket without a request that route
 * interception never sees — ends here instead of on the network. Counts what it dropped.
 */
export class Sinkhole {
  private server: Server | null = null;
  /** Connections accepted and dropped since start. */
  connections = 0;

  async start(): Promise<string> {
    const server = createServer((socket: Socket) => {
      this.connections += 1;
      socket.destroy();
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    this.server = server;
    const { port } = server.address() as { port: number };
    return `http://127.0.0.1:${port}`;
  }

  async close(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
