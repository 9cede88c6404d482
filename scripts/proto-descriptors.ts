/**
 * Writes the message schemas the tx decoder's unknown-field check walks (generated/descriptors.binpb):
 * one FileDescriptorSet holding our own messages (from `buf build`) and every Cosmos SDK, ibc-go,
 * CometBFT and ICS-23 message a tx can carry (from the file descriptors their Go packages embed —
 * exactly what the SDK's own check reads). Only messages reachable from the roots below are kept,
 * and only what the walk needs: names, fields (number, type, type name) and nested messages.
 *
 * Beside it (root workspace only) writes the API surface the node's gRPC and REST servers serve
 * (generated/api-descriptors.binpb, see apiFiles below).
 *
 * Usage: node --import tsx scripts/proto-descriptors.ts <buf image> <output file> [--local-only]
 * With --local-only (an example module's workspace) only the image's own messages are written.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { create, fromBinary, toBinary } from '@bufbuild/protobuf';
import {
  DescriptorProtoSchema,
  FieldDescriptorProtoSchema,
  FieldDescriptorProto_Type,
  FileDescriptorProtoSchema,
  FileDescriptorSetSchema,
  type DescriptorProto,
  type FileDescriptorProto,
  file_google_protobuf_any,
  file_google_protobuf_duration,
  file_google_protobuf_timestamp,
} from '@bufbuild/protobuf/wkt';
import { API_DESCRIPTORS_FILE, NODE_SERVICES } from '../app/api/descriptors.js';
import { upstreamFiles } from './go-descriptors.js';

/** The Go modules whose protos cosmjs-types 0.11 was generated from (its changelog names them). */
const GO_MODULES = [
  'github.com/cosmos/cosmos-sdk@v0.53.4',
  'github.com/cosmos/ibc-go/v10@v10.3.0',
  'github.com/cometbft/cometbft@v0.38.25',
  'github.com/cosmos/ics23/go@v0.11.0',
];

/**
 * The upstream messages a tx of this chain can carry at its top: the tx envelope, the Msgs our
 * modules register with cosmjs-types codecs, the public keys a SignerInfo may hold, and the IBC
 * client messages MsgUpdateClient / MsgSubmitMisbehaviour wrap in an Any. Their fields' types
 * are followed from here.
 */
const UPSTREAM_ROOTS = [
  'cosmos.tx.v1beta1.TxRaw',
  'cosmos.tx.v1beta1.TxBody',
  'cosmos.tx.v1beta1.AuthInfo',
  'cosmos.bank.v1beta1.MsgSend',
  'cosmos.bank.v1beta1.MsgMultiSend',
  'cosmos.crypto.secp256k1.PubKey',
  'cosmos.crypto.secp256r1.PubKey',
  'cosmos.crypto.ed25519.PubKey',
  'cosmos.crypto.multisig.LegacyAminoPubKey',
  'ibc.core.client.v1.MsgUpdateClient',
  'ibc.core.client.v1.MsgSubmitMisbehaviour',
  'ibc.core.client.v2.MsgRegisterCounterparty',
  'ibc.core.channel.v2.MsgRecvPacket',
  'ibc.core.channel.v2.MsgAcknowledgement',
  'ibc.core.channel.v2.MsgTimeout',
  'ibc.lightclients.tendermint.v1.Header',
  'ibc.lightclients.tendermint.v1.Misbehaviour',
];

const [imagePath, outputPath, flag] = process.argv.slice(2);
if (!imagePath || !outputPath) throw new Error('usage: proto-descriptors.ts <buf image> <output file> [--local-only]');
const localOnly = flag === '--local-only';

const local = fromBinary(FileDescriptorSetSchema, readFileSync(imagePath)).file;
/** Our own protos, not the copies of upstream files (proto/cosmos/…) they import. */
const ownFiles = local.filter((f) => !f.name.startsWith('google/') && !f.name.startsWith('cosmos/'));

// Upstream files first, so a message both define (e.g. cosmos.base.v1beta1.Coin) is upstream's.
const files = localOnly ? local : [...upstreamFiles(GO_MODULES), ...local];
const roots = [...ownFiles.flatMap(topLevelNames), ...(localOnly ? [] : UPSTREAM_ROOTS)];
writeFileSync(outputPath, toBinary(FileDescriptorSetSchema, create(FileDescriptorSetSchema, { file: prune(files, roots) })));
if (!localOnly) {
  // Imported only now: the app loads the descriptors.binpb just written.
  const { composeChain } = await import('../app/app.js');
  const { Router } = await import('../app/baseapp/router.js');
  const queryServices = new Router(composeChain().modules).queryPaths.map((p) => p.split('/')[1]!);
  const api = apiFiles(files, roots, new Set([...queryServices, ...NODE_SERVICES]));
  writeFileSync(
    join(dirname(outputPath), API_DESCRIPTORS_FILE),
    toBinary(FileDescriptorSetSchema, create(FileDescriptorSetSchema, { file: api })),
  );
}

function topLevelNames(file: FileDescriptorProto): string[] {
  return file.messageType.map((m) => qualify(file.package, m.name));
}

function qualify(pkg: string, name: string): string {
  return pkg ? `${pkg}.${name}` : name;
}

/**
 * Keeps the top-level messages reachable from `roots` through message-typed fields (each kept
 * with its nested messages), stripped to what the walk reads; files are sorted for stable bytes.
 */
function prune(all: FileDescriptorProto[], roots: string[]): FileDescriptorProto[] {
  const topLevel = new Map<string, { file: FileDescriptorProto; message: DescriptorProto }>();
  for (const file of all) {
    for (const message of file.messageType) {
      const name = qualify(file.package, message.name);
      if (!topLevel.has(name)) topLevel.set(name, { file, message });
    }
  }
  const kept = new Set<string>();
  const queue = [...roots];
  while (queue.length > 0) {
    const name = queue.pop()!;
    const top = topLevelOf(name, topLevel);
    if (!top) throw new Error(`no descriptor defines message ${name}`);
    if (kept.has(top)) continue;
    kept.add(top);
    forEachField(topLevel.get(top)!.message, (field) => {
      if (field.type === FieldDescriptorProto_Type.MESSAGE) queue.push(field.typeName.replace(/^\./, ''));
    });
  }
  const out = new Map<string, FileDescriptorProto>();
  for (const name of [...kept].sort()) {
    const { file, message } = topLevel.get(name)!;
    let target = out.get(file.name);
    if (!target) {
      target = create(FileDescriptorProtoSchema, { name: file.name, package: file.package, syntax: file.syntax });
      out.set(file.name, target);
    }
    target.messageType.push(strip(message));
  }
  return [...out.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** The top-level message that defines `name` (itself, or the parent of a nested message). */
function topLevelOf(name: string, topLevel: Map<string, unknown>): string | undefined {
  for (let candidate = name; candidate.includes('.'); candidate = candidate.slice(0, candidate.lastIndexOf('.'))) {
    if (topLevel.has(candidate)) return candidate;
  }
  return undefined;
}

function forEachField(message: DescriptorProto, fn: (field: DescriptorProto['field'][number]) => void): void {
  message.field.forEach(fn);
  message.nestedType.forEach((nested) => forEachField(nested, fn));
}

function strip(message: DescriptorProto): DescriptorProto {
  return create(DescriptorProtoSchema, {
    name: message.name,
    field: message.field.map((f) =>
      create(FieldDescriptorProtoSchema, { name: f.name, number: f.number, label: f.label, type: f.type, typeName: f.typeName }),
    ),
    nestedType: message.nestedType.map(strip),
  });
}

/**
 * The API surface: the services the stock chain answers (every service one of its query paths
 * belongs to, plus the node's own), every message and enum their methods reach through fields, and
 * the messages an `Any` in an answer may hold, each kept whole (options included: the methods'
 * `google.api.http` rules live there, as unknown fields). Each file keeps only those types and
 * imports only the files they use, so the set is self-contained without the option-only imports
 * (gogoproto, cosmos_proto, amino); extensions are dropped.
 */
function apiFiles(all: FileDescriptorProto[], messageRoots: string[], services: Set<string>): FileDescriptorProto[] {
  const anyRoots = [
    'cosmos.auth.v1beta1.BaseAccount',
    'cosmos.auth.v1beta1.ModuleAccount',
    'ibc.lightclients.tendermint.v1.ClientState',
    'ibc.lightclients.tendermint.v1.ConsensusState',
  ];
  const wellKnown = [file_google_protobuf_any, file_google_protobuf_duration, file_google_protobuf_timestamp].map((f) => f.proto);
  type TopLevel = {
    file: FileDescriptorProto;
    message?: DescriptorProto;
    enumType?: unknown;
    service?: FileDescriptorProto['service'][number];
  };
  const topLevel = new Map<string, TopLevel>();
  for (const file of [...all, ...wellKnown]) {
    const add = (name: string, entry: TopLevel) => topLevel.has(name) || topLevel.set(name, entry);
    for (const message of file.messageType) add(qualify(file.package, message.name), { file, message });
    for (const enumType of file.enumType) add(qualify(file.package, enumType.name), { file, enumType });
    for (const service of file.service)
      if (services.has(qualify(file.package, service.name))) add(qualify(file.package, service.name), { file, service });
  }
  const kept = new Set<string>();
  const queue = [...services, ...messageRoots, ...anyRoots];
  const uses = new Map<string, Set<string>>();
  while (queue.length > 0) {
    const name = queue.pop()!;
    const top = topLevelOf(name, topLevel);
    if (!top) throw new Error(`no descriptor defines ${name}`);
    if (kept.has(top)) continue;
    kept.add(top);
    const entry = topLevel.get(top)!;
    const refs: string[] = [];
    if (entry.message) forEachField(entry.message, (f) => f.typeName && refs.push(f.typeName.replace(/^\./, '')));
    for (const method of entry.service?.method ?? []) refs.push(method.inputType.replace(/^\./, ''), method.outputType.replace(/^\./, ''));
    const fileUses = uses.get(entry.file.name) ?? new Set<string>();
    uses.set(entry.file.name, fileUses);
    for (const ref of refs) {
      const refTop = topLevelOf(ref, topLevel);
      if (!refTop) throw new Error(`no descriptor defines ${ref} (used by ${top})`);
      fileUses.add(topLevel.get(refTop)!.file.name);
      queue.push(ref);
    }
  }
  const missing = [...services].filter((s) => !topLevel.has(s));
  if (missing.length > 0) throw new Error(`no descriptor defines service ${missing.join(', ')}`);
  const out = new Map<string, FileDescriptorProto>();
  for (const name of [...kept].sort()) {
    const { file, message, enumType, service } = topLevel.get(name)!;
    let target = out.get(file.name);
    if (!target) {
      const dependency = [...(uses.get(file.name) ?? [])].filter((f) => f !== file.name).sort();
      target = create(FileDescriptorProtoSchema, {
        name: file.name,
        package: file.package,
        syntax: file.syntax,
        options: file.options,
        dependency,
      });
      out.set(file.name, target);
    }
    if (message) target.messageType.push(message);
    if (enumType) target.enumType.push(enumType as FileDescriptorProto['enumType'][number]);
    if (service) target.service.push(service);
  }
  // Dependencies before dependents (a registry is built in one pass); otherwise by name.
  const ordered: FileDescriptorProto[] = [];
  const placed = new Set<string>();
  const place = (file: FileDescriptorProto) => {
    if (placed.has(file.name)) return;
    placed.add(file.name);
    file.dependency.forEach((dep) => place(out.get(dep)!));
    ordered.push(file);
  };
  [...out.keys()].sort().forEach((name) => place(out.get(name)!));
  return ordered;
}
