/**
 * protobufjs is installed only as a dependency of @grpc/grpc-js (its proto loader); nothing here
 * uses it. cosmjs's Registry types name it, and with its real types present no ts-proto 2 codec
 * of ours fits cosmjs's GeneratedType (its TsProto2GeneratedType reads @bufbuild/protobuf's CJS
 * declarations, ours are ESM, and their BinaryWriter classes do not unify). Typed loosely, as
 * when it was absent, the codecs match cosmjs's TsProtoGeneratedType as they always have.
 */
declare namespace protobuf {
  type Writer = any;
  type Reader = any;
}
export = protobuf;
