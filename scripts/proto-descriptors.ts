/**
 * Writes the message schemas the tx decoder's unknown-field check walks (generated/descriptors.binpb):
 * one FileDescriptorSet holding our own messages (from `buf build`) and every Cosmos SDK, ibc-go,
 * CometBFT and ICS-23 message a tx can carry (from the file descriptors their Go packages embed —
 * exactly what the SDK's own check reads). Only messages reachable from the roots below are kept,
 * and only what the walk needs: names, fields (number, type, type name) and nested messages.
 *
 * Usage: node --import tsx scripts/proto-descriptors.ts <buf image> <output file> [--local-only]
 * With --local-only (an example module's workspace) only the image's own messages are written.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { create, fromBinary, toBinary } from '@bufbuild/protobuf';
import {
  DescriptorProtoSchema,
  FieldDescriptorProtoSchema,
  FieldDescriptorProto_Type,
  FileDescriptorProtoSchema,
  FileDescriptorSetSchema,
  type DescriptorProto,
  type FileDescriptorProto,
} from '@bufbuild/protobuf/wkt';

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
const files = localOnly ? local : [...upstreamFiles(), ...local];
const roots = [...ownFiles.flatMap(topLevelNames), ...(localOnly ? [] : UPSTREAM_ROOTS)];
writeFileSync(outputPath, toBinary(FileDescriptorSetSchema, create(FileDescriptorSetSchema, { file: prune(files, roots) })));

function upstreamFiles(): FileDescriptorProto[] {
  const byName = new Map<string, FileDescriptorProto>();
  for (const mod of GO_MODULES) {
    for (const path of goFiles(moduleDir(mod))) {
      for (const file of embeddedDescriptors(readFileSync(path, 'utf8'))) {
        if (!byName.has(file.name)) byName.set(file.name, file);
      }
    }
  }
  return [...byName.values()];
}

/** Downloads (or finds in the module cache) one Go module, read-only, and returns its directory. */
function moduleDir(mod: string): string {
  const out = execFileSync('go', ['mod', 'download', '-json', mod], { encoding: 'utf8', env: { ...process.env, GOFLAGS: '-mod=mod' } });
  const info = JSON.parse(out) as { Dir?: string; Error?: string };
  if (!info.Dir) throw new Error(`go mod download ${mod}: ${info.Error ?? 'no directory'}`);
  return info.Dir;
}

function goFiles(dir: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) found.push(...goFiles(path));
    else if (entry.name.endsWith('.pb.go')) found.push(path);
  }
  return found.sort();
}

/** gogoproto's generated Go code carries each file's descriptor as a gzipped byte literal. */
function embeddedDescriptors(source: string): FileDescriptorProto[] {
  const files: FileDescriptorProto[] = [];
  for (const match of source.matchAll(/var fileDescriptor_[0-9a-f]+ = \[\]byte\{([^}]*)\}/g)) {
    const bytes = Uint8Array.from(match[1]!.match(/0x[0-9a-f]{2}/g) ?? [], (hex) => parseInt(hex, 16));
    files.push(fromBinary(FileDescriptorProtoSchema, gunzipSync(bytes)));
  }
  return files;
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
