/**
 * Writes a buf image (FileDescriptorSet, dependencies first) of the upstream proto files whose
 * TypeScript codecs we generate ourselves because cosmjs-types 0.11 lacks a field we need, read
 * from the descriptors embedded in ibc-go v10.7.0 (the simd we interoperate with) and its
 * dependencies. proto-gen.sh runs `buf generate` on it with --include-imports.
 *
 *   ibc/lightclients/tendermint/v1/tendermint.proto: its ClientState's proof specs must carry
 *   ICS-23's prehash_key_before_comparison (ProofSpec field 5) for ibc-go to check our SMT's
 *   non-membership proofs; cosmjs-types' ProofSpec has no such field.
 *
 * Usage: node --import tsx scripts/proto-upstream.ts <output image>
 */
import { writeFileSync } from 'node:fs';
import { create, toBinary } from '@bufbuild/protobuf';
import { FileDescriptorSetSchema, type FileDescriptorProto } from '@bufbuild/protobuf/wkt';
import { upstreamFiles } from './go-descriptors.js';

export const UPSTREAM_GENERATED = ['ibc/lightclients/tendermint/v1/tendermint.proto'];

const GO_MODULES = [
  'github.com/cosmos/ibc-go/v10@v10.7.0',
  'github.com/cosmos/ics23/go@v0.11.0',
  'github.com/cometbft/cometbft@v0.38.25',
  'github.com/cosmos/gogoproto@v1.7.0',
];

const [outputPath] = process.argv.slice(2);
if (!outputPath) throw new Error('usage: proto-upstream.ts <output image>');

const byName = new Map(upstreamFiles(GO_MODULES).map((f) => [f.name, f]));
const ordered: FileDescriptorProto[] = [];
const seen = new Set<string>();
function visit(name: string): void {
  if (seen.has(name)) return;
  seen.add(name);
  const file = byName.get(name);
  // google/protobuf/* come with buf itself; gogoproto's copies are not embedded.
  if (file === undefined) throw new Error(`no embedded descriptor for ${name}`);
  for (const dep of file.dependency) visit(dep);
  ordered.push(file);
}
for (const name of UPSTREAM_GENERATED) visit(name);
writeFileSync(outputPath, toBinary(FileDescriptorSetSchema, create(FileDescriptorSetSchema, { file: ordered })));
