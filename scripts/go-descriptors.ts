/**
 * The protobuf file descriptors that Go modules embed in their generated code (gogoproto writes
 * each file's descriptor as a gzipped byte literal), read from the Go module cache: the one source
 * of upstream (Cosmos SDK, ibc-go, CometBFT, ICS-23) schemas for proto-descriptors.ts and
 * proto-upstream.ts, since buf's remote registry is not reachable offline.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { fromBinary } from '@bufbuild/protobuf';
import { FileDescriptorProtoSchema, type FileDescriptorProto } from '@bufbuild/protobuf/wkt';

/** Every file descriptor the modules embed; a file two modules define is the first module's. */
export function upstreamFiles(modules: readonly string[]): FileDescriptorProto[] {
  const byName = new Map<string, FileDescriptorProto>();
  for (const mod of modules) {
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

function embeddedDescriptors(source: string): FileDescriptorProto[] {
  const files: FileDescriptorProto[] = [];
  for (const match of source.matchAll(/var fileDescriptor_[0-9a-f]+ = \[\]byte\{([^}]*)\}/g)) {
    const bytes = Uint8Array.from(match[1]!.match(/0x[0-9a-f]{2}/g) ?? [], (hex) => parseInt(hex, 16));
    files.push(fromBinary(FileDescriptorProtoSchema, gunzipSync(bytes)));
  }
  return files;
}
