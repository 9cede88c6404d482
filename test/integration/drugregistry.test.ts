/**
 * The supply-chain scenario on a real node through stock cosmjs: register, commission,
 * pack, ship, receive, dispense, verify, recall — and a double dispense that fails.
 */
import { DirectSecp256k1HdWallet, Registry, type GeneratedType } from '@cosmjs/proto-signing';
import { GasPrice, QueryClient, SigningStargateClient, defaultRegistryTypes } from '@cosmjs/stargate';
import { connectComet, type CometClient } from '@cosmjs/tendermint-rpc';
import { composeChain } from '../../app/app.js';
import type { MsgHandler, QueryHandler } from '../../app/types/module.js';
import { scenarioGenesis, scenarioSteps, type Actors, type ActorName } from '../../modules/drugregistry/e2e-scenario.js';
import { cleanupAfterAll } from '../helpers/cleanup.js';
import { startTestChain, TEST_DENOM, type TestChain } from '../helpers/chain.js';

const cleanup = cleanupAfterAll();
const chainSpec = composeChain();
const drug = chainSpec.modules.find((m) => m.name === 'drugregistry')!;
const handlers = new Map<string, MsgHandler>(drug.msgs!.map((h) => [h.typeUrl, h]));
const verify = drug.queries!.find((q) => q.path === '/parazone.drugregistry.v1.Query/Verify') as QueryHandler;

const registry = new Registry(defaultRegistryTypes);
for (const h of handlers.values()) registry.register(h.typeUrl, h.type as unknown as GeneratedType);

const ACTORS: ActorName[] = ['regulator', 'manufacturer', 'wholesaler', 'dispenser'];
let chain: TestChain;
let comet: CometClient;
const clients = new Map<ActorName, SigningStargateClient>();
let actors: Actors;

beforeAll(async () => {
  const keysFor = Object.fromEntries(ACTORS.map((name) => [name, `1000000000000${TEST_DENOM}`]));
  // The scenario's genesis needs the actors' addresses, which the chain helper has just created.
  chain = await startTestChain(
    {
      accounts: keysFor,
      editAppState: (state) => {
        actors = { gov: chainSpec.config.addresses.moduleAddress('governance'), ...addressesFrom(state) };
        return { ...state, drugregistry: scenarioGenesis(actors) };
      },
    },
    cleanup,
  );
  for (const name of ACTORS) {
    const wallet = await DirectSecp256k1HdWallet.fromMnemonic(chain.keys[name]!.mnemonic, { prefix: 'para' });
    const client = await SigningStargateClient.connectWithSigner(chain.rpc, wallet, {
      registry,
      gasPrice: GasPrice.fromString(`0.025${TEST_DENOM}`),
      broadcastPollIntervalMs: 200,
    });
    cleanup.add(`disconnect ${name}`, () => client.disconnect());
    clients.set(name, client);
  }
  comet = await connectComet(chain.rpc);
  cleanup.add('disconnect comet', () => comet.disconnect());
});

/** The genesis accounts come in the order the chain helper adds them: the ACTORS order. */
function addressesFrom(state: Record<string, unknown>): Omit<Actors, 'gov'> {
  const accounts = (state.auth as { accounts: { address: string }[] }).accounts.map((a) => a.address);
  return { regulator: accounts[0]!, manufacturer: accounts[1]!, wholesaler: accounts[2]!, dispenser: accounts[3]! };
}

async function queryVerify(request: Record<string, unknown>) {
  const query = new QueryClient(comet);
  const data = verify.requestType.encode(verify.requestType.fromPartial(request)).finish();
  const response = await query.queryAbci(verify.path, data);
  return verify.responseType.decode(response.value) as Record<string, unknown>;
}

it('runs the supply-chain scenario end to end through cosmjs', async () => {
  const fee = { amount: [{ denom: TEST_DENOM, amount: '250000' }], gas: '10000000' };
  for (const step of scenarioSteps(actors)) {
    if (step.kind === 'verify') {
      const expected = { ...step.expect, ...(step.expect.recallIds ? { recallIds: (step.expect.recallIds as string[]).map(BigInt) } : {}) };
      expect({ note: step.note, ...(await queryVerify(step.request)) }).toMatchObject({ note: step.note, ...expected });
      continue;
    }
    const handler = handlers.get(step.typeUrl)!;
    const client = clients.get(step.signer)!;
    const result = await client.signAndBroadcast(
      actors[step.signer],
      [{ typeUrl: step.typeUrl, value: handler.type.fromPartial(step.value) }],
      fee,
    );
    expect({ note: step.note, code: result.code }).toEqual({ note: step.note, code: step.expectCode ?? 0 });
    if (step.expectCode) expect(result.rawLog).not.toBe('');
  }
}, 180_000);
