import { BaseError } from '../types/base-error.js';
import { ChainError, SDK } from '../types/errors.js';

/** gRPC status codes (grpc/codes). */
export const GrpcCode = {
  OK: 0,
  CANCELLED: 1,
  UNKNOWN: 2,
  INVALID_ARGUMENT: 3,
  DEADLINE_EXCEEDED: 4,
  NOT_FOUND: 5,
  ALREADY_EXISTS: 6,
  PERMISSION_DENIED: 7,
  RESOURCE_EXHAUSTED: 8,
  FAILED_PRECONDITION: 9,
  ABORTED: 10,
  OUT_OF_RANGE: 11,
  UNIMPLEMENTED: 12,
  INTERNAL: 13,
  UNAVAILABLE: 14,
  DATA_LOSS: 15,
  UNAUTHENTICATED: 16,
} as const;

/** A failed API call: a gRPC status code and the message the client sees. */
export class ApiError extends BaseError {
  constructor(
    readonly grpcCode: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * The gRPC code of a query's chain error. The SDK's query handlers answer bad input with
 * InvalidArgument and a missing object with NotFound, and its ABCI query path turns those into
 * ErrInvalidRequest / ErrKeyNotFound (baseapp gRPCErrorToSDKError); this is that map read back, over
 * the root codes that mean the same. Every other registered error is Unknown, as the SDK's
 * `errors.Register` makes it.
 */
const ROOT_CODES: Record<number, number> = {
  2: GrpcCode.INVALID_ARGUMENT, // tx parse error
  4: GrpcCode.UNAUTHENTICATED, // unauthorized
  7: GrpcCode.INVALID_ARGUMENT, // invalid address
  8: GrpcCode.INVALID_ARGUMENT, // invalid pubkey
  9: GrpcCode.NOT_FOUND, // unknown address
  10: GrpcCode.INVALID_ARGUMENT, // invalid coins
  18: GrpcCode.INVALID_ARGUMENT, // invalid request
  22: GrpcCode.NOT_FOUND, // key not found
  26: GrpcCode.INVALID_ARGUMENT, // invalid height
  29: GrpcCode.INVALID_ARGUMENT, // invalid type
  38: GrpcCode.NOT_FOUND, // not found
};

export function grpcCodeOf(codespace: string, code: number): number {
  return (codespace === SDK && ROOT_CODES[code]) || GrpcCode.UNKNOWN;
}

export function apiErrorOf(err: ChainError): ApiError {
  return new ApiError(grpcCodeOf(err.codespace, err.code), err.message);
}

/** grpc-gateway's HTTP status for a gRPC code (runtime.HTTPStatusFromCode). */
export function httpStatusOf(grpcCode: number): number {
  switch (grpcCode) {
    case GrpcCode.OK:
      return 200;
    case GrpcCode.CANCELLED:
      return 499;
    case GrpcCode.INVALID_ARGUMENT:
    case GrpcCode.FAILED_PRECONDITION:
    case GrpcCode.OUT_OF_RANGE:
      return 400;
    case GrpcCode.DEADLINE_EXCEEDED:
      return 504;
    case GrpcCode.NOT_FOUND:
      return 404;
    case GrpcCode.ALREADY_EXISTS:
    case GrpcCode.ABORTED:
      return 409;
    case GrpcCode.PERMISSION_DENIED:
      return 403;
    case GrpcCode.UNAUTHENTICATED:
      return 401;
    case GrpcCode.RESOURCE_EXHAUSTED:
      return 429;
    case GrpcCode.UNIMPLEMENTED:
      return 501;
    case GrpcCode.UNAVAILABLE:
      return 503;
    default:
      return 500;
  }
}
