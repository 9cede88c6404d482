import { PRESENT } from '../../app/store/bytes.js';
import { bytesEqual, prefixEnd } from '../../app/store/bytes.js';
import type { KVStore, StoreKey } from '../../app/store/types.js';
import type { Coin } from '../../app/types/coins.js';
import { coinsToString } from '../../app/types/coins.js';
import type { ChainConfig } from '../../app/types/chain-config.js';
import type { Context } from '../../app/types/context.js';
import { ErrInvalidRequest, toChainError } from '../../app/types/errors.js';
import { filteredPaginate, paginate } from '../../app/types/pagination.js';
import type { Any } from '../../generated/google/protobuf/any.js';
import type { Timestamp } from '../../generated/google/protobuf/timestamp.js';
import type { PageRequest } from '../../generated/cosmos/base/query/v1beta1/pagination.js';
import {
  Deposit,
  Params,
  Proposal,
  ProposalStatus,
  type TallyResult,
  Vote,
  type WeightedVoteOption,
} from '../../generated/parazone/governance/v1/gov.js';
import { addCoins, isAllGTE, subCoins } from './coin-math.js';
import { mulRoundBankers, mulTruncate, parseDec } from './decimal.js';
import {
  ErrInactiveProposal,
  ErrInvalidDepositDenom,
  ErrInvalidProposalContent,
  ErrInvalidProposalMsg,
  ErrInvalidProposer,
  ErrInvalidSigner,
  ErrMetadataTooLong,
  ErrMinDepositTooSmall,
  ErrSummaryTooLong,
  ErrTitleTooLong,
  ErrTooManyMessages,
  ErrUnknownProposal,
  ErrUnroutableProposalMsg,
  ErrVotingPeriodEnded,
} from './errors.js';
import * as ev from './events.js';
import type { BankKeeper, MsgRouter } from './expected-keepers.js';
import {
  ACTIVE_QUEUE_PREFIX,
  CONSTITUTION_KEY,
  DEPOSIT_PREFIX,
  INACTIVE_QUEUE_PREFIX,
  NEXT_ID_KEY,
  PARAMS_KEY,
  PROPOSAL_PREFIX,
  MODULE_NAME,
  STORE_KEY,
  activeQueueKey,
  depositKey,
  depositsPrefix,
  idFromQueueKey,
  inactiveQueueKey,
  proposalKey,
  queueEndInclusive,
  readU64,
  u64,
  voteKey,
  votesPrefix,
} from './keys.js';
import { defaultParams, validateParams } from './params.js';
import {
  type OptionPower,
  type ParsedOption,
  type TallyOutcome,
  addVote,
  decide,
  describeOptions,
  emptyPower,
  emptyTallyResult,
  parseVoteOptions,
  tallyResult,
} from './tally.js';

export const TREASURY_MODULE = 'treasury';
/** Module accounts of this chain besides governance/treasury that hold tokens but never vote. */
export const DEFAULT_NON_VOTING_MODULES: readonly string[] = ['fee_collector', 'tokens'];

export interface GovernanceKeeperOptions {
  config: ChainConfig;
  bank: BankKeeper;
  router: MsgRouter;
  /** Module account that escrows deposits and is the authority of every governed Msg. */
  moduleName?: string;
  /** Module account MsgSpendTreasury pays from. */
  treasuryModuleName?: string;
  /**
   * Further module accounts whose govDenom balance neither votes nor counts as eligible power.
   * Default DEFAULT_NON_VOTING_MODULES (fee_collector, tokens); the governance and treasury
   * accounts are always excluded.
   */
  nonVotingModules?: readonly string[];
  storeKey?: StoreKey;
}

export interface SubmitProposalInput {
  messages: Any[];
  initialDeposit: Coin[];
  proposer: string;
  metadata: string;
  title: string;
  summary: string;
}

export interface TallyOutcomeWithCount extends TallyOutcome {
  votesCounted: number;
}

/**
 * The only code that touches the governance store. Its methods are what other modules and the
 * Msg/Query handlers call; all of them are synchronous and deterministic.
 */
export class GovernanceKeeper {
  readonly moduleName: string;
  readonly treasuryModuleName: string;
  /** The governance module account: authority of governed Msgs and deposit escrow. */
  readonly authority: string;
  readonly treasuryAddress: string;
  readonly storeKey: StoreKey;
  private readonly nonVoting: { address: string; bytes: Uint8Array }[];

  constructor(private readonly options: GovernanceKeeperOptions) {
    const { addresses } = options.config;
    this.moduleName = options.moduleName ?? MODULE_NAME;
    this.treasuryModuleName = options.treasuryModuleName ?? TREASURY_MODULE;
    this.storeKey = options.storeKey ?? STORE_KEY;
    this.authority = addresses.moduleAddress(this.moduleName);
    this.treasuryAddress = addresses.moduleAddress(this.treasuryModuleName);
    const names = [this.moduleName, this.treasuryModuleName, ...(options.nonVotingModules ?? DEFAULT_NON_VOTING_MODULES)];
    this.nonVoting = [...new Set(names)].map((name) => {
      const address = addresses.moduleAddress(name);
      return { address, bytes: addresses.decode(address) };
    });
  }

  get bank(): BankKeeper {
    return this.options.bank;
  }

  get config(): ChainConfig {
    return this.options.config;
  }

  private store(ctx: Context): KVStore {
    return ctx.kv(this.storeKey);
  }

  /** Address bytes (the key form) and the canonical lower-case bech32 of a user-given address. */
  addressBytes(address: string, field: string): Uint8Array {
    return this.options.config.addresses.decode(address, field);
  }

  canonical(address: string, field = 'address'): string {
    return this.options.config.addresses.encode(this.addressBytes(address, field));
  }

  // ---------------------------------------------------------------- params and constitution

  defaultParams(): Params {
    return defaultParams(this.options.config.bondDenom);
  }

  getParams(ctx: Context): Params {
    const raw = this.store(ctx).get(PARAMS_KEY);
    return raw ? Params.decode(raw) : this.defaultParams();
  }

  /** Validates, then stores. */
  setParams(ctx: Context, params: Params): void {
    validateParams(params, this.options.config.addresses);
    this.store(ctx).set(PARAMS_KEY, Params.encode(params).finish());
  }

  getConstitution(ctx: Context): string {
    const raw = this.store(ctx).get(CONSTITUTION_KEY);
    return raw ? new TextDecoder().decode(raw) : '';
  }

  setConstitution(ctx: Context, text: string): void {
    this.store(ctx).set(CONSTITUTION_KEY, new TextEncoder().encode(text));
  }

  // ---------------------------------------------------------------- records

  getNextProposalId(ctx: Context): bigint {
    const raw = this.store(ctx).get(NEXT_ID_KEY);
    return raw ? readU64(raw) : 1n;
  }

  setNextProposalId(ctx: Context, id: bigint): void {
    this.store(ctx).set(NEXT_ID_KEY, u64(id));
  }

  getProposal(ctx: Context, id: bigint): Proposal | undefined {
    const raw = this.store(ctx).get(proposalKey(id));
    return raw ? Proposal.decode(raw) : undefined;
  }

  mustGetProposal(ctx: Context, id: bigint): Proposal {
    const proposal = this.getProposal(ctx, id);
    if (!proposal) throw ErrUnknownProposal.wrap(`proposal ${id} does not exist`);
    return proposal;
  }

  setProposal(ctx: Context, proposal: Proposal): void {
    this.store(ctx).set(proposalKey(proposal.id), Proposal.encode(proposal).finish());
  }

  /** Every proposal in id order (queries, genesis export, invariants). */
  *iterateProposals(ctx: Context): Iterable<Proposal> {
    for (const { value } of this.store(ctx).iterator(PROPOSAL_PREFIX, prefixEnd(PROPOSAL_PREFIX))) {
      yield Proposal.decode(value);
    }
  }

  /**
   * Puts an imported proposal in the queue its status calls for (deposit or voting period), keyed
   * by its end time; proposals in other states are in no queue. Genesis import only.
   */
  enqueueImportedProposal(ctx: Context, proposal: Proposal): void {
    if (proposal.status === ProposalStatus.PROPOSAL_STATUS_DEPOSIT_PERIOD) {
      this.store(ctx).set(inactiveQueueKey(fromTimestamp(proposal.depositEndTime), proposal.id), PRESENT);
    } else if (proposal.status === ProposalStatus.PROPOSAL_STATUS_VOTING_PERIOD) {
      this.store(ctx).set(activeQueueKey(fromTimestamp(proposal.votingEndTime), proposal.id), PRESENT);
    }
  }

  /** A page of proposals in id order, counting only those `accept` keeps (the Proposals query). */
  pageProposals(ctx: Context, pagination: Partial<PageRequest> | undefined, accept: (p: Proposal) => boolean) {
    return filteredPaginate(this.store(ctx), PROPOSAL_PREFIX, pagination, (_k, v) => {
      const proposal = Proposal.decode(v);
      return accept(proposal) ? proposal : undefined;
    });
  }

  /** A page of a proposal's votes in voter-address order (the Votes query). */
  pageVotes(ctx: Context, id: bigint, pagination: Partial<PageRequest> | undefined) {
    return paginate(this.store(ctx), votesPrefix(id), pagination, (_k, v) => Vote.decode(v));
  }

  /** A page of a proposal's deposits in depositor-address order (the Deposits query). */
  pageDeposits(ctx: Context, id: bigint, pagination: Partial<PageRequest> | undefined) {
    return paginate(this.store(ctx), depositsPrefix(id), pagination, (_k, v) => Deposit.decode(v));
  }

  getDeposit(ctx: Context, id: bigint, depositor: string): Deposit | undefined {
    const raw = this.store(ctx).get(depositKey(id, this.addressBytes(depositor, 'depositor')));
    return raw ? Deposit.decode(raw) : undefined;
  }

  setDeposit(ctx: Context, deposit: Deposit): void {
    const key = depositKey(deposit.proposalId, this.addressBytes(deposit.depositor, 'depositor'));
    this.store(ctx).set(key, Deposit.encode(deposit).finish());
  }

  /** Deposits of one proposal in key (depositor bytes) order. */
  getDeposits(ctx: Context, id: bigint): Deposit[] {
    const prefix = depositsPrefix(id);
    return [...this.store(ctx).iterator(prefix, prefixEnd(prefix))].map(({ value }) => Deposit.decode(value));
  }

  getVote(ctx: Context, id: bigint, voter: string): Vote | undefined {
    const raw = this.store(ctx).get(voteKey(id, this.addressBytes(voter, 'voter')));
    return raw ? Vote.decode(raw) : undefined;
  }

  setVote(ctx: Context, vote: Vote): void {
    const key = voteKey(vote.proposalId, this.addressBytes(vote.voter, 'voter'));
    this.store(ctx).set(key, Vote.encode(vote).finish());
  }

  /** Votes of one proposal in key (voter bytes) order: the deterministic tally order. */
  getVotes(ctx: Context, id: bigint): Vote[] {
    const prefix = votesPrefix(id);
    return [...this.store(ctx).iterator(prefix, prefixEnd(prefix))].map(({ value }) => Vote.decode(value));
  }

  private deleteVotes(ctx: Context, id: bigint): void {
    const store = this.store(ctx);
    const prefix = votesPrefix(id);
    const keys = [...store.iterator(prefix, prefixEnd(prefix))].map(({ key }) => Uint8Array.from(key));
    for (const key of keys) store.delete(key);
  }

  // ---------------------------------------------------------------- submit

  /**
   * Checks every proposal message against the router: routable, decodes, is signed by exactly the
   * governance account, passes validateBasic. Returns the decoded messages.
   */
  checkProposalMessages(messages: readonly Any[], maxMessages: bigint): unknown[] {
    if (BigInt(messages.length) > maxMessages) {
      throw ErrTooManyMessages.wrap(`proposal has ${messages.length} messages, at most ${maxMessages} allowed`);
    }
    return messages.map((any, i) => {
      const handler = this.options.router.handler(any.typeUrl);
      if (!handler) throw ErrUnroutableProposalMsg.wrap(`message ${i} has type "${any.typeUrl}", which no module handles`);
      let msg: unknown;
      try {
        msg = handler.type.decode(any.value);
      } catch (err) {
        throw ErrInvalidProposalMsg.wrap(`message ${i} (${any.typeUrl}) does not decode: ${(err as Error).message}`);
      }
      let signers: string[];
      try {
        signers = handler.signers(msg);
      } catch (err) {
        throw ErrInvalidProposalMsg.wrap(`message ${i} (${any.typeUrl}) has no readable signer: ${(err as Error).message}`);
      }
      if (signers.length !== 1 || !this.isAuthority(signers[0]!)) {
        throw ErrInvalidSigner.wrap(
          `message ${i} (${any.typeUrl}) is signed by [${signers.join(', ')}]; it must be signed by exactly the governance account ${this.authority}`,
        );
      }
      try {
        handler.validateBasic?.(msg);
      } catch (err) {
        throw ErrInvalidProposalMsg.wrap(`message ${i} (${any.typeUrl}) is invalid: ${toChainError(err).message}`);
      }
      return msg;
    });
  }

  /**
   * True when `address` is exactly the governance account's canonical bech32 string: the same
   * string comparison every module's authority check makes, so a proposal accepted here cannot
   * fail later on a differently-cased authority.
   */
  isAuthority(address: string): boolean {
    return address === this.authority;
  }

  /** MsgSubmitProposal: checks everything, then creates the proposal and takes the initial deposit. */
  submitProposal(ctx: Context, input: SubmitProposalInput): { id: bigint; votingStarted: boolean } {
    const params = this.getParams(ctx);
    const proposer = this.canonical(input.proposer, 'proposer');
    this.checkText(params, input.title, input.summary, input.metadata);
    this.checkProposalMessages(input.messages, params.maxMessages);
    this.checkDepositDenoms(params, input.initialDeposit);
    const ratio = parseDec(params.minInitialDepositRatio);
    const minInitial = params.minDeposit
      .map((c) => ({ denom: c.denom, amount: mulRoundBankers(BigInt(c.amount), ratio).toString() }))
      .filter((c) => c.amount !== '0');
    if (!isAllGTE(input.initialDeposit, minInitial)) {
      throw ErrMinDepositTooSmall.wrap(
        `initial deposit "${coinsToString(input.initialDeposit)}" is below the required "${coinsToString(minInitial)}" (min_initial_deposit_ratio ${params.minInitialDepositRatio} of min_deposit)`,
      );
    }

    const id = this.getNextProposalId(ctx);
    this.setNextProposalId(ctx, id + 1n);
    const now = ctx.time.getTime();
    const depositEnd = now + Number(params.maxDepositPeriodSeconds) * 1000;
    const proposal = Proposal.fromPartial({
      id,
      messages: input.messages,
      status: ProposalStatus.PROPOSAL_STATUS_DEPOSIT_PERIOD,
      finalTallyResult: emptyTallyResult(),
      submitTime: toTimestamp(now),
      depositEndTime: toTimestamp(depositEnd),
      totalDeposit: [],
      metadata: input.metadata,
      title: input.title,
      summary: input.summary,
      proposer,
    });
    this.setProposal(ctx, proposal);
    this.store(ctx).set(inactiveQueueKey(depositEnd, id), PRESENT);

    const attributes: [string, string][] = [
      [ev.AttrProposalId, id.toString()],
      [ev.AttrProposalMessages, input.messages.map((m) => m.typeUrl).join(',')],
      [ev.AttrProposer, proposer],
    ];
    let votingStarted = false;
    if (input.initialDeposit.length > 0) votingStarted = this.addDeposit(ctx, id, proposer, input.initialDeposit);
    if (votingStarted) attributes.push([ev.AttrVotingPeriodStart, id.toString()]);
    ctx.events.emit(ev.EventSubmitProposal, attributes);
    return { id, votingStarted };
  }

  /** Lengths are UTF-8 bytes, as x/gov's len(string) counts them. */
  private checkText(params: Params, title: string, summary: string, metadata: string): void {
    if (title.trim() === '') throw ErrInvalidProposalContent.wrap('proposal title must not be empty');
    if (summary.trim() === '') throw ErrInvalidProposalContent.wrap('proposal summary must not be empty');
    const titleBytes = utf8Length(title);
    if (BigInt(titleBytes) > params.maxTitleLen) {
      throw ErrTitleTooLong.wrap(`title is ${titleBytes} bytes, at most ${params.maxTitleLen} allowed`);
    }
    const summaryBytes = utf8Length(summary);
    if (BigInt(summaryBytes) > params.maxSummaryLen) {
      throw ErrSummaryTooLong.wrap(`summary is ${summaryBytes} bytes, at most ${params.maxSummaryLen} allowed`);
    }
    this.checkMetadata(params, metadata);
  }

  private checkMetadata(params: Params, metadata: string): void {
    const bytes = utf8Length(metadata);
    if (BigInt(bytes) > params.maxMetadataLen) {
      throw ErrMetadataTooLong.wrap(`metadata is ${bytes} bytes, at most ${params.maxMetadataLen} allowed`);
    }
  }

  private checkDepositDenoms(params: Params, coins: readonly Coin[]): void {
    const accepted = params.minDeposit.map((c) => c.denom);
    for (const coin of coins) {
      if (!accepted.includes(coin.denom)) {
        throw ErrInvalidDepositDenom.wrap(`deposits are accepted only in ${accepted.join(', ')}, got ${coin.amount}${coin.denom}`);
      }
    }
  }

  // ---------------------------------------------------------------- deposit

  /**
   * MsgDeposit (and the initial deposit): escrows `amount` in the governance account. Accepted in
   * the deposit period and in the voting period (as x/gov's AddDeposit), until the period's end.
   * Returns true when this deposit reached min_deposit and started the voting period.
   */
  addDeposit(ctx: Context, id: bigint, depositor: string, amount: Coin[]): boolean {
    const proposal = this.mustGetProposal(ctx, id);
    const params = this.getParams(ctx);
    const who = this.canonical(depositor, 'depositor');
    // The escrow depositing into itself would create deposit records backed by no new coins.
    if (this.isAuthority(who)) throw ErrInvalidRequest.wrap('the governance account cannot make deposits (it is the escrow)');
    this.assertOpen(ctx, proposal, 'deposit on');
    this.checkDepositDenoms(params, amount);

    this.options.bank.sendCoinsFromAccountToModule(ctx, who, this.moduleName, amount);
    proposal.totalDeposit = addCoins(proposal.totalDeposit, amount);
    const activated =
      proposal.status === ProposalStatus.PROPOSAL_STATUS_DEPOSIT_PERIOD && isAllGTE(proposal.totalDeposit, params.minDeposit);
    if (activated) this.activateVotingPeriod(ctx, proposal, params);
    this.setProposal(ctx, proposal);

    const previous = this.getDeposit(ctx, id, who);
    this.setDeposit(ctx, { proposalId: id, depositor: who, amount: addCoins(previous?.amount ?? [], amount) });
    const attributes: [string, string][] = [
      [ev.AttrDepositor, who],
      [ev.AttrAmount, coinsToString(amount)],
      [ev.AttrProposalId, id.toString()],
    ];
    if (activated) attributes.push([ev.AttrVotingPeriodStart, id.toString()]);
    ctx.events.emit(ev.EventProposalDeposit, attributes);
    return activated;
  }

  private activateVotingPeriod(ctx: Context, proposal: Proposal, params: Params): void {
    const now = ctx.time.getTime();
    const votingEnd = now + Number(params.votingPeriodSeconds) * 1000;
    const store = this.store(ctx);
    store.delete(inactiveQueueKey(fromTimestamp(proposal.depositEndTime), proposal.id));
    store.set(activeQueueKey(votingEnd, proposal.id), PRESENT);
    proposal.status = ProposalStatus.PROPOSAL_STATUS_VOTING_PERIOD;
    proposal.votingStartTime = toTimestamp(now);
    proposal.votingEndTime = toTimestamp(votingEnd);
  }

  /**
   * A proposal takes deposits/votes/cancellation while its period runs: status DEPOSIT_PERIOD with
   * blockTime ≤ depositEnd, or VOTING_PERIOD with blockTime ≤ votingEnd. (EndBlock closes it in the
   * first block whose time reaches the end; if the per-block cap defers that, late txs still fail.)
   */
  private assertOpen(ctx: Context, proposal: Proposal, action: string): void {
    const now = ctx.time.getTime();
    if (proposal.status === ProposalStatus.PROPOSAL_STATUS_DEPOSIT_PERIOD) {
      if (now > fromTimestamp(proposal.depositEndTime)) {
        throw ErrInactiveProposal.wrap(`cannot ${action} proposal ${proposal.id}: its deposit period has ended`);
      }
      return;
    }
    if (proposal.status === ProposalStatus.PROPOSAL_STATUS_VOTING_PERIOD) {
      if (now > fromTimestamp(proposal.votingEndTime)) {
        throw ErrVotingPeriodEnded.wrap(`cannot ${action} proposal ${proposal.id}: its voting period has ended`);
      }
      return;
    }
    throw ErrInactiveProposal.wrap(`cannot ${action} proposal ${proposal.id}: it is ${statusName(proposal.status)}`);
  }

  // ---------------------------------------------------------------- vote

  /**
   * MsgVote / MsgVoteWeighted: stores (replacing) the voter's vote. Writes only the
   * (proposal, voter) key — no counters — so votes never conflict in the parallel executor.
   * Power is not read here: it is the voter's balance at tally time.
   */
  addVote(ctx: Context, id: bigint, voter: string, options: readonly WeightedVoteOption[], metadata: string): void {
    const parsed = parseVoteOptions(options);
    const proposal = this.mustGetProposal(ctx, id);
    if (proposal.status !== ProposalStatus.PROPOSAL_STATUS_VOTING_PERIOD) {
      throw ErrInactiveProposal.wrap(`cannot vote on proposal ${id}: it is ${statusName(proposal.status)}`);
    }
    this.assertOpen(ctx, proposal, 'vote on');
    this.checkMetadata(this.getParams(ctx), metadata);
    const who = this.canonical(voter, 'voter');
    this.setVote(ctx, { proposalId: id, voter: who, options: options.map((o) => ({ ...o })), metadata });
    ctx.events.emit(ev.EventProposalVote, [
      [ev.AttrVoter, who],
      [ev.AttrOption, describeOptions(parsed)],
      [ev.AttrProposalId, id.toString()],
    ]);
  }

  // ---------------------------------------------------------------- cancel

  /**
   * MsgCancelProposal: the proposer withdraws a proposal in its deposit or voting period (until
   * its end). proposal_cancel_ratio of each deposit is burned or sent to proposal_cancel_dest;
   * the rest is refunded. The proposal stays, as CANCELED; its votes are deleted.
   */
  cancelProposal(ctx: Context, id: bigint, proposer: string): void {
    const proposal = this.mustGetProposal(ctx, id);
    const who = this.canonical(proposer, 'proposer');
    if (proposal.proposer !== who) {
      throw ErrInvalidProposer.wrap(`only the proposer ${proposal.proposer} may cancel proposal ${id}, not ${who}`);
    }
    this.assertOpen(ctx, proposal, 'cancel');
    const params = this.getParams(ctx);
    this.chargeDeposits(ctx, id, parseDec(params.proposalCancelRatio), params.proposalCancelDest);
    const store = this.store(ctx);
    if (proposal.status === ProposalStatus.PROPOSAL_STATUS_DEPOSIT_PERIOD) {
      store.delete(inactiveQueueKey(fromTimestamp(proposal.depositEndTime), id));
    } else {
      store.delete(activeQueueKey(fromTimestamp(proposal.votingEndTime), id));
    }
    this.deleteVotes(ctx, id);
    proposal.status = ProposalStatus.PROPOSAL_STATUS_CANCELED;
    proposal.finalTallyResult = emptyTallyResult();
    this.setProposal(ctx, proposal);
    ctx.events.emit(ev.EventProposalCanceled, [
      [ev.AttrProposalId, id.toString()],
      [ev.AttrProposer, who],
    ]);
  }

  // ---------------------------------------------------------------- deposits: refund / burn / charge

  /** Returns every deposit of the proposal to its depositor and deletes the records. */
  refundAndDeleteDeposits(ctx: Context, id: bigint): void {
    for (const deposit of this.getDeposits(ctx, id)) {
      this.options.bank.sendCoinsFromModuleToAccount(ctx, this.moduleName, deposit.depositor, deposit.amount);
      this.deleteDeposit(ctx, deposit);
    }
  }

  /** Burns every deposit of the proposal from the escrow and deletes the records. */
  deleteAndBurnDeposits(ctx: Context, id: bigint): void {
    let total: Coin[] = [];
    for (const deposit of this.getDeposits(ctx, id)) {
      total = addCoins(total, deposit.amount);
      this.deleteDeposit(ctx, deposit);
    }
    if (total.length > 0) this.options.bank.burnCoins(ctx, this.moduleName, total);
  }

  /**
   * x/gov's ChargeDeposit: per deposit and denom, floor(amount × rate) is charged and the rest
   * refunded; the charges are burned (dest empty) or sent to dest.
   */
  chargeDeposits(ctx: Context, id: bigint, rate: bigint, dest: string): void {
    let charges: Coin[] = [];
    for (const deposit of this.getDeposits(ctx, id)) {
      const charged = deposit.amount
        .map((c) => ({ denom: c.denom, amount: mulTruncate(BigInt(c.amount), rate).toString() }))
        .filter((c) => c.amount !== '0');
      const remaining = subCoins(deposit.amount, charged);
      if (remaining.length > 0) {
        this.options.bank.sendCoinsFromModuleToAccount(ctx, this.moduleName, deposit.depositor, remaining);
      }
      charges = addCoins(charges, charged);
      this.deleteDeposit(ctx, deposit);
    }
    if (charges.length === 0) return;
    if (dest === '') this.options.bank.burnCoins(ctx, this.moduleName, charges);
    else this.options.bank.sendCoinsFromModuleToAccount(ctx, this.moduleName, dest, charges);
  }

  private deleteDeposit(ctx: Context, deposit: Deposit): void {
    this.store(ctx).delete(depositKey(deposit.proposalId, this.addressBytes(deposit.depositor, 'depositor')));
  }

  // ---------------------------------------------------------------- tally

  private isNonVoting(voterBytes: Uint8Array): boolean {
    return this.nonVoting.some((m) => bytesEqual(m.bytes, voterBytes));
  }

  /** Power a voter has now: its govDenom balance (0 for module accounts that do not vote). */
  votingPower(ctx: Context, voter: string, govDenom: string): bigint {
    if (this.isNonVoting(this.addressBytes(voter, 'voter'))) return 0n;
    return this.options.bank.getBalance(ctx, voter, govDenom);
  }

  /** Total power that could vote: supply of govDenom minus the non-voting module accounts' balances. */
  eligiblePower(ctx: Context, govDenom: string): bigint {
    let eligible = this.options.bank.getSupply(ctx, govDenom);
    for (const { address } of this.nonVoting) eligible -= this.options.bank.getBalance(ctx, address, govDenom);
    return eligible > 0n ? eligible : 0n;
  }

  /**
   * Tallies a proposal at current balances: iterates its votes in key order, each voter counting
   * its balance now (so tokens moved between voters count once, for their holder at tally time).
   */
  tally(ctx: Context, proposal: Proposal, params: Params = this.getParams(ctx)): TallyOutcomeWithCount {
    const power: OptionPower = emptyPower();
    let votesCounted = 0;
    for (const vote of this.getVotes(ctx, proposal.id)) {
      votesCounted++;
      let parsed: ParsedOption[];
      try {
        parsed = parseVoteOptions(vote.options);
      } catch {
        continue; // validated when cast; a malformed stored vote (bad genesis) counts nothing
      }
      addVote(power, this.votingPower(ctx, vote.voter, params.govDenom), parsed);
    }
    const outcome = decide(power, this.eligiblePower(ctx, params.govDenom), {
      quorum: parseDec(params.quorum),
      threshold: parseDec(params.threshold),
      vetoThreshold: parseDec(params.vetoThreshold),
      burnVoteQuorum: params.burnVoteQuorum,
      burnVoteVeto: params.burnVoteVeto,
    });
    return { ...outcome, votesCounted };
  }

  /** The tally to show for a proposal: live during voting, the stored final one afterwards. */
  currentTally(ctx: Context, proposal: Proposal): TallyResult {
    if (proposal.status === ProposalStatus.PROPOSAL_STATUS_VOTING_PERIOD) return this.tally(ctx, proposal).result;
    return proposal.finalTallyResult ?? tallyResult(emptyPower());
  }

  // ---------------------------------------------------------------- end block

  /**
   * EndBlock: (1) drop deposit-period proposals whose deposit end ≤ block time;
   * (2) tally voting-period proposals whose voting end ≤ block time, oldest end first, ties by id;
   * refund or burn deposits; execute passed proposals' messages all-or-nothing.
   * Bounded: at most max_proposals_per_block of each kind per block, and no tally is started once
   * max_tally_votes_per_block votes were counted in this block (the first tally always runs, so
   * the queue always advances). Leftovers wait for the next block; their periods are already
   * closed to new deposits and votes.
   */
  endBlock(ctx: Context): void {
    const params = this.getParams(ctx);
    const now = ctx.time.getTime();
    const cap = Number(params.maxProposalsPerBlock);

    for (const id of this.dueIds(ctx, INACTIVE_QUEUE_PREFIX, now, cap)) {
      this.dropProposal(ctx, this.mustGetProposal(ctx, id), params);
    }

    let votesCounted = 0;
    let tallied = 0;
    for (const id of this.dueIds(ctx, ACTIVE_QUEUE_PREFIX, now, cap)) {
      if (tallied > 0 && votesCounted >= Number(params.maxTallyVotesPerBlock)) break;
      votesCounted += this.finalizeProposal(ctx, this.mustGetProposal(ctx, id), params);
      tallied++;
    }
  }

  /** Up to `cap` proposal ids from a queue whose end time ≤ now, collected before any mutation. */
  private dueIds(ctx: Context, prefix: Uint8Array, now: number, cap: number): bigint[] {
    const ids: bigint[] = [];
    for (const { key } of this.store(ctx).iterator(prefix, queueEndInclusive(prefix, now))) {
      if (ids.length >= cap) break;
      ids.push(idFromQueueKey(key));
    }
    return ids;
  }

  private dropProposal(ctx: Context, proposal: Proposal, params: Params): void {
    this.store(ctx).delete(inactiveQueueKey(fromTimestamp(proposal.depositEndTime), proposal.id));
    if (params.burnProposalDepositPrevote) this.deleteAndBurnDeposits(ctx, proposal.id);
    else this.refundAndDeleteDeposits(ctx, proposal.id);
    proposal.status = ProposalStatus.PROPOSAL_STATUS_DROPPED;
    this.setProposal(ctx, proposal);
    ctx.events.emit(ev.EventInactiveProposal, [
      [ev.AttrProposalId, proposal.id.toString()],
      [ev.AttrProposalResult, ev.ResultDropped],
    ]);
  }

  /** Tallies, settles deposits, executes on pass; returns the number of votes counted. */
  private finalizeProposal(ctx: Context, proposal: Proposal, params: Params): number {
    const outcome = this.tally(ctx, proposal, params);
    this.deleteVotes(ctx, proposal.id);
    if (outcome.burnDeposits) this.deleteAndBurnDeposits(ctx, proposal.id);
    else this.refundAndDeleteDeposits(ctx, proposal.id);
    this.store(ctx).delete(activeQueueKey(fromTimestamp(proposal.votingEndTime), proposal.id));

    let result: string;
    let log: string;
    if (outcome.passes) {
      const failure = this.executeProposal(ctx, proposal);
      if (failure === undefined) {
        proposal.status = ProposalStatus.PROPOSAL_STATUS_PASSED;
        result = ev.ResultPassed;
        log = 'passed';
      } else {
        proposal.status = ProposalStatus.PROPOSAL_STATUS_FAILED;
        proposal.failedReason = failure;
        result = ev.ResultFailed;
        log = `passed, but ${failure}`;
      }
    } else {
      proposal.status = ProposalStatus.PROPOSAL_STATUS_REJECTED;
      result = ev.ResultRejected;
      log = `rejected (${outcome.reason.replace(/_/g, ' ')})${outcome.burnDeposits ? ', deposits burned' : ''}`;
    }
    proposal.finalTallyResult = outcome.result;
    this.setProposal(ctx, proposal);
    ctx.events.emit(ev.EventActiveProposal, [
      [ev.AttrProposalId, proposal.id.toString()],
      [ev.AttrProposalResult, result],
      [ev.AttrProposalLog, log],
    ]);
    if (proposal.status === ProposalStatus.PROPOSAL_STATUS_FAILED) {
      ctx.events.emit(ev.EventProposalFailed, [
        [ev.AttrProposalId, proposal.id.toString()],
        [ev.AttrReason, proposal.failedReason],
      ]);
    }
    return outcome.votesCounted;
  }

  /**
   * Runs the proposal's messages in order on ONE branch with the governance account as the signer
   * (each Msg's authority field). The branch and its events are kept only if every message
   * succeeds and the deposit escrow was not spent; otherwise nothing is written and the reason is
   * returned.
   */
  executeProposal(ctx: Context, proposal: Proposal): string | undefined {
    const { ctx: branch, commit } = ctx.branch();
    const escrowBefore = this.options.bank.getAllBalances(ctx, this.authority);
    for (const [i, any] of proposal.messages.entries()) {
      const handler = this.options.router.handler(any.typeUrl);
      if (!handler) return `message ${i} (${any.typeUrl}) failed: no module handles this message type any more`;
      try {
        const msg = handler.type.decode(any.value);
        handler.validateBasic?.(msg);
        const signers = handler.signers(msg);
        if (signers.length !== 1 || !this.isAuthority(signers[0]!)) {
          throw ErrInvalidSigner.wrap(`signed by [${signers.join(', ')}]`);
        }
        handler.handle(branch, msg);
      } catch (err) {
        const chainErr = toChainError(err);
        return `message ${i} (${any.typeUrl}) failed: ${chainErr.message} (codespace ${chainErr.codespace}, code ${chainErr.code})`;
      }
    }
    const escrowAfter = this.options.bank.getAllBalances(branch, this.authority);
    if (!isAllGTE(escrowAfter, escrowBefore)) {
      return `execution would spend the governance deposit escrow (${coinsToString(escrowBefore)} → ${coinsToString(escrowAfter) || 'nothing'})`;
    }
    commit();
    return undefined;
  }

  // ---------------------------------------------------------------- treasury

  /** MsgSpendTreasury: pays `amount` from the treasury module account to `recipient`. */
  spendTreasury(ctx: Context, recipient: string, amount: Coin[]): void {
    const to = this.canonical(recipient, 'recipient');
    this.options.bank.sendCoinsFromModuleToAccount(ctx, this.treasuryModuleName, to, amount);
    ctx.events.emit(ev.EventTreasurySpend, [
      [ev.AttrRecipient, to],
      [ev.AttrAmount, coinsToString(amount)],
    ]);
  }

  // ---------------------------------------------------------------- invariants

  /**
   * Deposits held = escrow balance: the sum of all deposit records equals the governance module
   * account's balance, denom by denom; and each open proposal's total_deposit equals its records.
   */
  checkDepositsInvariant(ctx: Context): string | undefined {
    let held: Coin[] = [];
    const store = this.store(ctx);
    for (const { value } of store.iterator(DEPOSIT_PREFIX, prefixEnd(DEPOSIT_PREFIX))) {
      held = addCoins(held, Deposit.decode(value).amount);
    }
    const escrow = this.options.bank.getAllBalances(ctx, this.authority);
    if (coinsToString(held) !== coinsToString(addCoins(escrow, []))) {
      return `deposits held (${coinsToString(held) || 'none'}) differ from the governance account balance (${coinsToString(escrow) || 'none'})`;
    }
    for (const proposal of this.iterateProposals(ctx)) {
      const open =
        proposal.status === ProposalStatus.PROPOSAL_STATUS_DEPOSIT_PERIOD ||
        proposal.status === ProposalStatus.PROPOSAL_STATUS_VOTING_PERIOD;
      let sum: Coin[] = [];
      for (const d of this.getDeposits(ctx, proposal.id)) sum = addCoins(sum, d.amount);
      if (!open && sum.length > 0) return `closed proposal ${proposal.id} still has deposits ${coinsToString(sum)}`;
      if (open && coinsToString(sum) !== coinsToString(proposal.totalDeposit)) {
        return `proposal ${proposal.id} total_deposit ${coinsToString(proposal.totalDeposit)} differs from its deposits ${coinsToString(sum)}`;
      }
    }
    return undefined;
  }
}

function utf8Length(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

export function statusName(status: ProposalStatus): string {
  return ProposalStatus[status] ?? `status ${status}`;
}

export function toTimestamp(ms: number): Timestamp {
  return { seconds: BigInt(Math.floor(ms / 1000)), nanos: (ms % 1000) * 1_000_000 };
}

export function fromTimestamp(ts: Timestamp | undefined): number {
  if (!ts) return 0;
  return Number(ts.seconds) * 1000 + Math.floor(ts.nanos / 1_000_000);
}
