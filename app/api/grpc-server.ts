import * as grpc from '@grpc/grpc-js';
import { ReflectionService } from '@grpc/reflection';
import type { Logger } from 'pino';
import { HEIGHT_HEADER, parseHeight, type ApiBackend } from './backend.js';
import { ApiError, GrpcCode } from './status.js';

export interface ApiServer {
  /** host:port actually bound. */
  readonly address: string;
  readonly port: number;
  close(): Promise<void>;
}

const passThrough = {
  requestSerialize: (b: Buffer) => b,
  requestDeserialize: (b: Buffer) => b,
  responseSerialize: (b: Buffer) => b,
  responseDeserialize: (b: Buffer) => b,
};

/**
 * The gRPC server: every service of the API surface, its methods' bytes passed through to the
 * backend undecoded, plus server reflection (v1 and v1alpha) over the same descriptors.
 */
export async function startGrpcServer(backend: ApiBackend, address: string, logger: Logger): Promise<ApiServer> {
  const server = new grpc.Server();
  const byService = new Map<string, Record<string, grpc.MethodDefinition<Buffer, Buffer>>>();
  const implementations = new Map<string, grpc.UntypedServiceImplementation>();
  for (const method of backend.surface.methods) {
    const definition = byService.get(method.service) ?? {};
    byService.set(method.service, definition);
    definition[method.name] = { path: method.path, requestStream: false, responseStream: false, originalName: method.name, ...passThrough };
    const impl = implementations.get(method.service) ?? {};
    implementations.set(method.service, impl);
    impl[method.name] = (call: grpc.ServerUnaryCall<Buffer, Buffer>, callback: grpc.sendUnaryData<Buffer>) => {
      void (async () => {
        try {
          const heightValue = call.metadata.get(HEIGHT_HEADER)[0];
          const answer = await backend.call(method, call.request, parseHeight(heightValue === undefined ? undefined : String(heightValue)));
          const trailer = new grpc.Metadata();
          if (answer.height !== undefined) {
            const header = new grpc.Metadata();
            header.set(HEIGHT_HEADER, String(answer.height));
            call.sendMetadata(header);
          }
          callback(null, Buffer.from(answer.response), trailer);
        } catch (err) {
          const apiErr = err instanceof ApiError ? err : new ApiError(GrpcCode.INTERNAL, String(err));
          if (apiErr.grpcCode === GrpcCode.INTERNAL) logger.error({ method: method.path, err: apiErr.message }, 'gRPC call failed');
          callback({ code: apiErr.grpcCode, details: apiErr.message, name: 'ApiError', message: apiErr.message });
        }
      })();
    };
  }
  for (const [service, definition] of byService) server.addService(definition as grpc.ServiceDefinition, implementations.get(service)!);
  const packageDefinition = { api: { fileDescriptorProtos: [...backend.surface.fileDescriptorProtos] } };
  new ReflectionService(packageDefinition as never).addToServer(server);

  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync(address, grpc.ServerCredentials.createInsecure(), (err, bound) => (err ? reject(err) : resolve(bound))),
  );
  const host = address.slice(0, address.lastIndexOf(':'));
  return {
    address: `${host}:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.tryShutdown(() => resolve());
        // In-flight calls get a moment; then the server goes down regardless.
        setTimeout(() => server.forceShutdown(), 2000).unref();
      }),
  };
}
