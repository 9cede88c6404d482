import { coinsToString, validateCoins } from '../../app/types/coins.js';
import type { Context } from '../../app/types/context.js';
import type { GenesisHandler } from '../../app/types/module.js';
import { GenesisState } from '../../generated/parazone/governance/v1/genesis.js';
import { ProposalStatus } from '../../generated/parazone/governance/v1/gov.js';
import { addCoins, coinsEqual } from './coin-math.js';
import { ErrInvalidGenesis } from './errors.js';
import type { GovernanceKeeper } from './keeper.js';
import { validateParams } from './params.js';
import { parseVoteOptions } from './tally.js';

/** Governance genesis as JSON (proto3 JSON of GenesisState: camelCase or snake_case accepted). */
export type GovernanceGenesisJSON = Record<string, unknown>;

const OPEN = [ProposalStatus.PROPOSAL_STATUS_DEPOSIT_PERIOD, ProposalStatus.PROPOSAL_STATUS_VOTING_PERIOD];

export function governanceGenesis(keeper: GovernanceKeeper): GenesisHandler<GovernanceGenesisJSON> {
  const addresses = keeper.config.addresses;
  const toJSON = (state: GenesisState) => GenesisState.toJSON(state) as GovernanceGenesisJSON;

  /** Parses and checks a genesis; returns the parsed state. */
  function parse(json: unknown): GenesisState {
    if (typeof json !== 'object' || json === null || Array.isArray(json)) {
      throw ErrInvalidGenesis.wrap('governance genesis must be a JSON object');
    }
    let state: GenesisState;
    try {
      state = GenesisState.fromJSON(json);
    } catch (err) {
      throw ErrInvalidGenesis.wrap(`governance genesis does not parse: ${(err as Error).message}`);
    }
    const fail = (what: string) => ErrInvalidGenesis.wrap(what);
    try {
      validateParams(state.params, addresses);
    } catch (err) {
      throw fail(`params: ${(err as Error).message}`);
    }
    if (state.startingProposalId < 1n) throw fail('starting_proposal_id must be at least 1');
    const byId = new Map<bigint, (typeof state.proposals)[number]>();
    for (const p of state.proposals) {
      if (p.id < 1n || p.id >= state.startingProposalId) {
        throw fail(`proposal id ${p.id} must be in [1, starting_proposal_id ${state.startingProposalId})`);
      }
      if (byId.has(p.id)) throw fail(`proposal ${p.id} appears twice`);
      if (p.status === ProposalStatus.PROPOSAL_STATUS_UNSPECIFIED || p.status === ProposalStatus.UNRECOGNIZED) {
        throw fail(`proposal ${p.id} has no valid status`);
      }
      if (!addresses.isValid(p.proposer)) throw fail(`proposal ${p.id} proposer "${p.proposer}" is not a valid address`);
      if (p.status === ProposalStatus.PROPOSAL_STATUS_VOTING_PERIOD && !p.votingEndTime) {
        throw fail(`proposal ${p.id} is in its voting period but has no voting_end_time`);
      }
      if (p.status === ProposalStatus.PROPOSAL_STATUS_DEPOSIT_PERIOD && !p.depositEndTime) {
        throw fail(`proposal ${p.id} is in its deposit period but has no deposit_end_time`);
      }
      byId.set(p.id, p);
    }
    const sums = new Map<bigint, { denom: string; amount: string }[]>();
    const seen = new Set<string>();
    for (const d of state.deposits) {
      const p = byId.get(d.proposalId);
      if (!p || !OPEN.includes(p.status)) throw fail(`deposit by ${d.depositor} refers to proposal ${d.proposalId}, which is not open`);
      if (!addresses.isValid(d.depositor)) throw fail(`depositor "${d.depositor}" is not a valid address`);
      const id = `${d.proposalId}/${Buffer.from(addresses.decode(d.depositor)).toString('hex')}`;
      if (seen.has(id)) throw fail(`deposit of ${d.depositor} on proposal ${d.proposalId} appears twice`);
      seen.add(id);
      try {
        validateCoins(d.amount);
      } catch (err) {
        throw fail(`deposit of ${d.depositor} on proposal ${d.proposalId}: ${(err as Error).message}`);
      }
      sums.set(d.proposalId, addCoins(sums.get(d.proposalId) ?? [], d.amount));
    }
    for (const p of byId.values()) {
      if (OPEN.includes(p.status) && !coinsEqual(p.totalDeposit, sums.get(p.id) ?? [])) {
        throw fail(
          `proposal ${p.id} total_deposit ${coinsToString(p.totalDeposit)} differs from its deposits ${coinsToString(sums.get(p.id) ?? [])}`,
        );
      }
    }
    const voted = new Set<string>();
    for (const v of state.votes) {
      const p = byId.get(v.proposalId);
      if (!p || p.status !== ProposalStatus.PROPOSAL_STATUS_VOTING_PERIOD) {
        throw fail(`vote by ${v.voter} refers to proposal ${v.proposalId}, which is not in its voting period`);
      }
      if (!addresses.isValid(v.voter)) throw fail(`voter "${v.voter}" is not a valid address`);
      const id = `${v.proposalId}/${Buffer.from(addresses.decode(v.voter)).toString('hex')}`;
      if (voted.has(id)) throw fail(`vote of ${v.voter} on proposal ${v.proposalId} appears twice`);
      voted.add(id);
      try {
        parseVoteOptions(v.options);
      } catch (err) {
        throw fail(`vote of ${v.voter} on proposal ${v.proposalId}: ${(err as Error).message}`);
      }
    }
    return state;
  }

  return {
    defaultGenesis: () => toJSON(GenesisState.fromPartial({ startingProposalId: 1n, params: keeper.defaultParams() })),

    validate: (json) => toJSON(parse(json)),

    init(ctx: Context, json: GovernanceGenesisJSON): void {
      const state = parse(json);
      keeper.setParams(ctx, state.params!);
      if (state.constitution) keeper.setConstitution(ctx, state.constitution);
      keeper.setNextProposalId(ctx, state.startingProposalId);
      for (const p of state.proposals) {
        keeper.setProposal(ctx, p);
        keeper.enqueueImportedProposal(ctx, p);
      }
      let held: { denom: string; amount: string }[] = [];
      for (const d of state.deposits) {
        keeper.setDeposit(ctx, { ...d, depositor: keeper.canonical(d.depositor) });
        held = addCoins(held, d.amount);
      }
      for (const v of state.votes) keeper.setVote(ctx, { ...v, voter: keeper.canonical(v.voter) });
      // As x/gov's InitGenesis: the escrow must hold exactly the deposits (tokens genesis runs first).
      const escrow = keeper.bank.getAllBalances(ctx, keeper.authority);
      if (!coinsEqual(escrow, held)) {
        throw ErrInvalidGenesis.wrap(
          `governance account ${keeper.authority} holds "${coinsToString(escrow)}" but deposits total "${coinsToString(held)}"`,
        );
      }
    },

    export(ctx: Context): GovernanceGenesisJSON {
      const proposals = [...keeper.iterateProposals(ctx)];
      return toJSON({
        startingProposalId: keeper.getNextProposalId(ctx),
        proposals,
        deposits: proposals.flatMap((p) => keeper.getDeposits(ctx, p.id)),
        votes: proposals.flatMap((p) => keeper.getVotes(ctx, p.id)),
        params: keeper.getParams(ctx),
        constitution: keeper.getConstitution(ctx),
      });
    },
  };
}
