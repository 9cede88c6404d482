/**
 * `parazone localnet --validators 2` serves gRPC and REST on every node, each on its own loopback
 * ports, prints them and writes them to endpoints.json; the second validator answers a bank
 * balance over both, and the chain-registry files beside endpoints.json name the first node's.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Endpoints } from '../../app/cli/commands/localnet.js';
import { repoRoot } from '../../app/node/cometbft.js';
import { cleanupAfterAll } from '../helpers/cleanup.js';
import { spawnLocalnet } from '../helpers/localnet.js';

const run = promisify(execFile);
const GRPCURL = path.join(repoRoot(), '.tools/bin/grpcurl');
const cleanup = cleanupAfterAll();

test('every validator of a multi-validator localnet serves gRPC and REST', async () => {
  if (!fs.existsSync(GRPCURL)) throw new Error(`${GRPCURL} is missing: run scripts/install-grpcurl.sh (npm run setup does)`);
  const net = spawnLocalnet(cleanup, ['--validators', '2']);
  const endpoints = await net.waitForJson<Endpoints>('endpoints.json');
  const nodes = endpoints.nodes ?? [];
  expect(nodes.map((n) => n.name)).toEqual(['node0', 'node1']);
  for (const node of nodes) {
    expect(node.grpc).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(node.rest).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  }
  const ports = nodes.flatMap((n) => [n.rpc, n.abci, n.grpc, n.rest].map((a) => new URL(a!.includes('//') ? a! : `tcp://${a}`).port));
  expect(new Set(ports).size).toBe(ports.length);
  expect({ grpc: endpoints.grpc, rest: endpoints.rest }).toEqual({ grpc: nodes[0]!.grpc, rest: nodes[0]!.rest });
  // Printed as written.
  expect(net.log()).toContain(`"rest": "${nodes[1]!.rest}"`);
  const registry = JSON.parse(fs.readFileSync(path.join(net.home, 'chain.json'), 'utf8')) as {
    apis: Record<string, { address: string }[]>;
  };
  expect(registry.apis).toMatchObject({ rest: [{ address: nodes[0]!.rest }], grpc: [{ address: nodes[0]!.grpc }] });

  const second = nodes[1]!;
  const { faucet, denom } = endpoints;
  const rest = (await (await fetch(`${second.rest}/cosmos/bank/v1beta1/balances/${faucet.address}/by_denom?denom=${denom}`)).json()) as {
    balance: { amount: string };
  };
  const grpc = JSON.parse(
    (
      await run(
        GRPCURL,
        ['-plaintext', '-d', JSON.stringify({ address: faucet.address, denom }), second.grpc!, 'cosmos.bank.v1beta1.Query/Balance'],
        { timeout: 30_000 },
      )
    ).stdout,
  ) as { balance: { amount: string } };
  expect(BigInt(rest.balance.amount)).toBeGreaterThan(0n);
  expect(grpc.balance.amount).toBe(rest.balance.amount);
}, 150_000);
