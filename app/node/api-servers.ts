import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { ComposedChain } from '../app.js';
import { ApiBackend } from '../api/backend.js';
import { loadApiSurface } from '../api/descriptors.js';
import { startGrpcServer, type ApiServer } from '../api/grpc-server.js';
import { nodeServices } from '../api/node-services.js';
import { OPENAPI_PATH, startRestGateway } from '../api/rest-gateway.js';
import type { AppConfig } from './app-config.js';
import type { AppNode } from './app-node.js';
import { readNodeConfig, repoRoot } from './cometbft.js';

export interface ApiServers {
  readonly grpc?: ApiServer;
  readonly rest?: ApiServer;
  close(): Promise<void>;
}

/** The gRPC server and REST gateway app.toml enables, both over one backend. */
export async function startApiServers(
  home: string,
  chain: ComposedChain,
  app: AppNode,
  config: AppConfig,
  logger: Logger,
): Promise<ApiServers> {
  if (!config.grpcEnable && !config.apiEnable) return { close: async () => undefined };
  const surface = loadApiSurface();
  const nodeConfig = (await readNodeConfig(home)) as { rpc?: { laddr?: string } };
  const rpcUrl = (nodeConfig.rpc?.laddr ?? 'tcp://127.0.0.1:26657').replace('tcp://', 'http://');
  const backend = new ApiBackend({
    surface,
    queryPaths: app.app.router.queryPaths,
    query: (req) => app.query(req),
    nodeHandlers: nodeServices({
      registry: surface.registry,
      rpcUrl,
      bech32Prefix: chain.config.bech32Prefix,
      appName: 'parazone',
      appVersion: APP_VERSION,
    }),
  });
  const started: ApiServer[] = [];
  try {
    const grpc = config.grpcEnable ? await startGrpcServer(backend, config.grpcAddress, logger) : undefined;
    if (grpc) {
      started.push(grpc);
      logger.info({ address: grpc.address }, 'serving gRPC (with server reflection)');
    }
    const rest = config.apiEnable
      ? await startRestGateway({ backend, address: config.apiAddress, corsAllowedOrigins: config.apiCorsAllowedOrigins, logger })
      : undefined;
    if (rest) {
      started.push(rest);
      logger.info({ address: rest.address, openapi: OPENAPI_PATH }, 'serving the REST API');
    }
    return { grpc, rest, close: async () => void (await Promise.all(started.map((s) => s.close()))) };
  } catch (err) {
    await Promise.all(started.map((s) => s.close()));
    throw new Error(`could not start the API servers (app.toml [grpc] / [api]): ${(err as Error).message}`);
  }
}

// From the repository root, which this file finds whether it runs as source or from dist/.
const APP_VERSION = (JSON.parse(readFileSync(join(repoRoot(), 'package.json'), 'utf8')) as { version: string }).version;
