import type { Server } from 'node:http';

/** A failure at start that one line explains (printed as `crewgraph: <message>`, exit code 1). */
export class StartError extends Error {}

function describeListenError(error: NodeJS.ErrnoException, host: string, port: number): string {
  switch (error.code) {
    case 'EADDRINUSE':
      return `port ${port} on ${host} is already in use (PORT); stop what is listening there or choose another PORT (0 picks a free one)`;
    case 'EACCES':
    case 'EPERM':
      return `no permission to listen on ${host}:${port} (PORT); ports below 1024 need privileges, choose another PORT`;
    case 'EADDRNOTAVAIL':
      return `HOST ${host} is not an address of this machine; use 127.0.0.1, 0.0.0.0 or one of its addresses`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `HOST ${host} is an unknown host name`;
  }
  return `cannot listen on ${host}:${port}: ${String(error.message).split('\n')[0]}`;
}

/**
 * Takes the port before anything slow (the embedded database's first start takes tens of
 * seconds), so a busy port fails at once and the port stays ours while the rest starts.
 */
export function listenFirst(http: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const failed = (error: NodeJS.ErrnoException) => reject(new StartError(describeListenError(error, host, port)));
    http.once('error', failed);
    http.listen(port, host, () => {
      http.off('error', failed);
      const address = http.address();
      resolve(typeof address === 'object' && address ? address.port : port);
    });
  });
}
