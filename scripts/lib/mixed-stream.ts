/**
 * A random, seeded stream of signed txs touching every module — transfers (some failing, some
 * with two Msgs), a governance proposal and its votes, the drug-registry scenario — for the
 * determinism test and the mixed benchmark. Each block uses each account at most once, so its
 * txs' sequences are known when signing.
 */
import { governanceAuthority } from '../../app/types/authority.js';
import { MsgSend } from 'cosmjs-types/cosmos/bank/v1beta1/tx';
import { composeChain } from '../../app/app.js';
import { addGenesisAccounts, defaultAppState } from '../../app/node/genesis.js';
import { MsgSubmitProposal, MsgVote } from '../../generated/parazone/governance/v1/tx.js';
import { MsgMint } from '../../generated/parazone/tokens/v1/tx.js';
import { scenarioGenesis, scenarioSteps, type Actors } from '../../modules/drugregistry/e2e-scenario.js';
import { seededRandom } from '../../app/exec/prng.js';
import { signedTx, type BenchAccount } from './signed-transfers.js';

export interface MixedStreamOptions {
  readonly seed: number;
  /** At least 6: accounts 0–3 play the drug scenario's actors, 4–5 propose and vote. */
  readonly accounts: BenchAccount[];
  readonly actors: Actors;
  readonly chainId: string;
  readonly denom: string;
  readonly blocks?: number;
  readonly transfersPerBlock?: number;
}

/** The drug scenario's actors played by accounts 0–3. */
export function mixedActors(accounts: BenchAccount[]): Actors {
  const config = composeChain().config;
  return {
    gov: governanceAuthority(config),
    regulator: accounts[0]!.address,
    manufacturer: accounts[1]!.address,
    wholesaler: accounts[2]!.address,
    dispenser: accounts[3]!.address,
  };
}

/** Genesis app_state for the stream: every account funded, the scenario's regulator, short votes. */
export function mixedGenesis(accounts: BenchAccount[], actors: Actors, denom: string): Record<string, unknown> {
  const chain = composeChain();
  let appState = defaultAppState(chain) as Record<string, unknown>;
  appState = addGenesisAccounts(
    appState,
    accounts.map((a) => ({ address: a.address, coins: [{ denom, amount: '1000000000000' }] })),
  );
  appState.drugregistry = scenarioGenesis(actors);
  const gov = appState.governance as { params: Record<string, unknown> };
  gov.params = { ...gov.params, votingPeriodSeconds: '5' };
  return appState;
}

/** A random stream: transfers (some failing), multi-Msg txs, a governance round, the drug scenario. */
export function* mixedBlocks(options: MixedStreamOptions): Generator<Uint8Array[]> {
  const { seed, accounts, actors, chainId, denom } = options;
  const blockCount = options.blocks ?? 30;
  const transfersPerBlock = options.transfersPerBlock ?? 8;
  const random = seededRandom(seed);
  const chain = composeChain();
  const drug = new Map(chain.modules.find((m) => m.name === 'drugregistry')!.msgs!.map((h) => [h.typeUrl, h]));
  const drugSteps = scenarioSteps(actors).filter((s) => s.kind === 'tx');
  const byAddress = new Map(accounts.map((a) => [a.address, a]));
  const gov = governanceAuthority(chain.config);
  const treasury = chain.config.addresses.moduleAddress('treasury');
  const send = (from: BenchAccount, to: BenchAccount, amount: bigint) => ({
    typeUrl: '/cosmos.bank.v1beta1.MsgSend',
    value: MsgSend.encode(
      MsgSend.fromPartial({ fromAddress: from.address, toAddress: to.address, amount: [{ denom, amount: amount.toString() }] }),
    ).finish(),
  });
  const pick = () => accounts[Math.floor(random() * accounts.length)]!;
  const opts = { chainId, denom, feeAmount: '250000', gasLimit: 10_000_000n };
  for (let height = 1; height <= blockCount; height++) {
    const txs: Uint8Array[] = [];
    const used = new Set<BenchAccount>();
    const signer = (a: BenchAccount) => (used.has(a) ? undefined : (used.add(a), a));
    const step = drugSteps[height - 1];
    if (step && step.kind === 'tx') {
      const from = byAddress.get(actors[step.signer])!;
      const handler = drug.get(step.typeUrl)!;
      if (signer(from))
        txs.push(
          signedTx(from, [{ typeUrl: step.typeUrl, value: handler.type.encode(handler.type.fromPartial(step.value)).finish() }], opts),
        );
    }
    if (height === 2) {
      const proposer = accounts[4]!;
      const mint = MsgMint.encode(
        MsgMint.fromPartial({ authority: gov, recipient: treasury, amount: [{ denom, amount: '777' }] }),
      ).finish();
      const submit = MsgSubmitProposal.fromPartial({
        messages: [{ typeUrl: '/parazone.tokens.v1.MsgMint', value: Buffer.from(mint) }],
        initialDeposit: [{ denom, amount: '10000000' }],
        proposer: proposer.address,
        title: 't',
        summary: 's',
      });
      if (signer(proposer))
        txs.push(
          signedTx(
            proposer,
            [{ typeUrl: '/parazone.governance.v1.MsgSubmitProposal', value: MsgSubmitProposal.encode(submit).finish() }],
            opts,
          ),
        );
    }
    if (height >= 3 && height <= 6) {
      for (const voter of [accounts[4]!, accounts[5]!]) {
        const vote = MsgVote.fromPartial({ proposalId: 1n, voter: voter.address, option: 1 + Math.floor(random() * 4) });
        if (signer(voter))
          txs.push(signedTx(voter, [{ typeUrl: '/parazone.governance.v1.MsgVote', value: MsgVote.encode(vote).finish() }], opts));
      }
    }
    for (let i = 0; i < transfersPerBlock; i++) {
      const from = signer(pick());
      if (!from) continue;
      // Mostly affordable; now and then more than the sender has (a failing Msg, fee still paid).
      const amount = random() < 0.1 ? 10n ** 15n : BigInt(1 + Math.floor(random() * 1000));
      const msgs = random() < 0.3 ? [send(from, pick(), amount), send(from, pick(), 1n)] : [send(from, pick(), amount)];
      txs.push(signedTx(from, msgs, opts));
    }
    yield txs;
  }
}
