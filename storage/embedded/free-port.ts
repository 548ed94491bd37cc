/** A free TCP port on the loopback interface. */
import { createServer } from 'node:net';

/**
 * Asks the kernel for a free port on 127.0.0.1 and releases it at once. Another process may take
 * it before the caller binds it; callers that spawn a server retry on a bind failure.
 */
export function findFreePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      if (address === null || typeof address === 'string') {
        server.close();
        reject(new Error('findFreePort: the kernel gave no TCP port'));
        return;
      }
      const { port } = address;
      server.close(() => resolvePort(port));
    });
  });
}
