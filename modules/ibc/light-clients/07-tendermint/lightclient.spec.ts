/**
 * The light client's pure rules, on in-process chains signed with real ed25519 keys, plus golden
 * vectors from CometBFT's own tests for the byte encodings. The same code is checked against a
 * real CometBFT node in test/ibc/lightclient-comet.test.ts.
 */
import { createHash } from 'node:crypto';
import type { Header as ClientHeader } from 'cosmjs-types/ibc/lightclients/tendermint/v1/tendermint';
import type { Header, SignedHeader } from 'cosmjs-types/tendermint/types/types';
import type { Validator } from 'cosmjs-types/tendermint/types/validator';
import { SmtSpec } from '../../../../app/ics23/index.js';
import {
  ErrClientExpired,
  ErrClientFrozen,
  ErrConsensusStateNotFound,
  ErrInvalidChainID,
  ErrInvalidCommit,
  ErrInvalidHeader,
  ErrInvalidMisbehaviour,
  ErrInvalidTrustLevel,
  ErrInvalidTrustingPeriod,
  ErrInvalidValidatorSet,
  ErrNotEnoughVotingPower,
  ErrTrustingPeriodExpired,
  MemoryConsensusStates,
  TendermintLightClient,
  canonicalVoteBytes,
  durationFromSeconds,
  hashFromByteSlices,
  headerHash,
  precommitSignBytes,
  revisionNumberOf,
  validatorSetHash,
  type ClientParams,
} from './index.js';
import { TestValidatorKey, makeHeader, resign, validatorSetOf } from './test-signer.js';
import type { ErrorDef } from '../../../../app/types/errors.js';

const sha = (s: string) => new Uint8Array(createHash('sha256').update(s).digest());
const HOUR = 3600n;
const T0 = 1_800_000_000n; // seconds
const at = (seconds: bigint) => (T0 + seconds) * 1_000_000_000n; // a clock reading in ns

function expectError(def: ErrorDef, fn: () => unknown, text?: string): void {
  let caught: unknown;
  try {
    fn();
  } catch (err) {
    caught = err;
  }
  if (!def.is(caught)) throw new Error(`expected ${def.codespace}:${def.code} (${def.description}), got ${String(caught)}`);
  if (text !== undefined) expect((caught as Error).message).toContain(text);
}

describe('byte encodings match CometBFT golden vectors', () => {
  test('Header.Hash (types/block_test.go TestHeaderHash)', () => {
    const header: Header = {
      version: { block: 1n, app: 2n },
      chainId: 'chainId',
      height: 3n,
      time: { seconds: BigInt(Date.UTC(2019, 9, 13, 16, 14, 44) / 1000), nanos: 0 },
      lastBlockId: { hash: new Uint8Array(32), partSetHeader: { total: 6, hash: new Uint8Array(32) } },
      lastCommitHash: sha('last_commit_hash'),
      dataHash: sha('data_hash'),
      validatorsHash: sha('validators_hash'),
      nextValidatorsHash: sha('next_validators_hash'),
      consensusHash: sha('consensus_hash'),
      appHash: sha('app_hash'),
      lastResultsHash: sha('last_results_hash'),
      evidenceHash: sha('evidence_hash'),
      proposerAddress: sha('proposer_address').subarray(0, 20),
    };
    expect(Buffer.from(headerHash(header)!).toString('hex').toUpperCase()).toBe(
      'F740121F553B5418C3EFBD343C2DBFE9E007BB67B0D020A0741374BAB65242A4',
    );
    expect(headerHash({ ...header, validatorsHash: new Uint8Array() })).toBeUndefined();
  });

  test('VoteSignBytes (types/vote_test.go TestVoteSignBytesTestVectors)', () => {
    const goZero = { seconds: -62135596800n, nanos: 0 };
    const precommit = precommitSignBytes('', 1n, 1, undefined, goZero);
    expect(Buffer.from(precommit).toString('hex')).toBe('210802110100000000000000190100000000000000' + '2a0b088092b8c398feffffff01');
    const withChain = canonicalVoteBytes({
      type: 0,
      height: 1n,
      round: 1n,
      blockId: undefined,
      timestamp: goZero,
      chainId: 'test_chain_id',
    });
    expect(Buffer.from(withChain).toString('hex')).toBe(
      '110100000000000000190100000000000000' + '2a0b088092b8c398feffffff01' + '320d' + Buffer.from('test_chain_id').toString('hex'),
    );
  });

  test('simple Merkle tree: empty, one leaf, RFC 6962 split', () => {
    expect(Buffer.from(hashFromByteSlices([])).toString('hex')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    const leaf = (s: string) =>
      createHash('sha256')
        .update(Buffer.concat([Buffer.of(0), Buffer.from(s)]))
        .digest();
    const inner = (l: Buffer, r: Buffer) =>
      createHash('sha256')
        .update(Buffer.concat([Buffer.of(1), l, r]))
        .digest();
    const items = ['a', 'b', 'c'].map((s) => new Uint8Array(Buffer.from(s)));
    expect(Buffer.from(hashFromByteSlices(items))).toEqual(inner(inner(leaf('a'), leaf('b')), leaf('c')));
  });

  test('chain id revision numbers (ibc-go ParseChainID)', () => {
    expect(revisionNumberOf('parazone-1')).toBe(1n);
    expect(revisionNumberOf('zone-a-12')).toBe(12n);
    expect(revisionNumberOf('parazone')).toBe(0n);
    expect(revisionNumberOf('parazone-0')).toBe(0n);
    expect(revisionNumberOf('zone--1')).toBe(0n);
  });
});

// ---------------------------------------------------------------------------------------------
// An in-process chain: header h at time T0 + h seconds.

const CHAIN = 'zone-a-1';
const params: ClientParams = {
  chainId: CHAIN,
  trustingPeriod: durationFromSeconds(2n * HOUR),
  unbondingPeriod: durationFromSeconds(3n * HOUR),
  maxClockDrift: durationFromSeconds(10n),
  proofSpecs: [SmtSpec],
};

class TestChain {
  readonly keys = new Map<string, TestValidatorKey>();
  /** Validator set per height (the set that signs block h). */
  private readonly sets = new Map<bigint, Validator[]>();

  constructor(private readonly defaultSet: Validator[]) {}

  register(...keys: TestValidatorKey[]): void {
    for (const k of keys) this.keys.set(Buffer.from(k.address).toString('hex'), k);
  }

  /** Validators of block `h` from then on (until changed again). */
  setValidatorsFrom(h: bigint, set: Validator[]): void {
    this.sets.set(h, set);
  }

  validatorsAt(h: bigint): Validator[] {
    let best: bigint | undefined;
    for (const k of this.sets.keys()) if (k <= h && (best === undefined || k > best)) best = k;
    return best === undefined ? this.defaultSet : this.sets.get(best)!;
  }

  header(h: bigint, edit: Partial<Header> = {}): Header {
    return {
      ...makeHeader({
        chainId: CHAIN,
        height: h,
        time: { seconds: T0 + h, nanos: 0 },
        validators: this.validatorsAt(h),
        nextValidators: this.validatorsAt(h + 1n),
      }),
      ...edit,
    };
  }

  /** Signed by every key of its validator set (or only `signers`). */
  signed(h: bigint, edit: Partial<Header> = {}, signers?: TestValidatorKey[], signChainId?: string): SignedHeader {
    const header = this.header(h, edit);
    const vals = this.validatorsAt(h);
    const keys = signers ?? vals.map((v) => this.keys.get(Buffer.from(v.address).toString('hex'))!);
    return resign(header, vals, keys, signChainId ?? header.chainId);
  }

  /** A MsgUpdateClient header for height `h`, trusting `trusted`. */
  update(h: bigint, trusted: bigint, signed: SignedHeader = this.signed(h)): ClientHeader {
    return {
      signedHeader: signed,
      validatorSet: validatorSetOf(this.validatorsAt(h)),
      trustedHeight: { revisionNumber: 1n, revisionHeight: trusted },
      trustedValidators: validatorSetOf(this.validatorsAt(trusted + 1n)),
    };
  }
}

function fourValidatorChain(): { chain: TestChain; keys: TestValidatorKey[] } {
  const keys = [0, 1, 2, 3].map(() => TestValidatorKey.random());
  const chain = new TestChain(keys.map((k) => k.validator(10n)));
  chain.register(...keys);
  return { chain, keys };
}

const h = (n: bigint) => ({ revisionNumber: 1n, revisionHeight: n });

function clientAt10(chain: TestChain): TendermintLightClient {
  return TendermintLightClient.create(
    params,
    { signedHeader: chain.signed(10n), validatorSet: validatorSetOf(chain.validatorsAt(10n)) },
    at(20n),
  );
}

test("error codes are ibc-go v10's for the errors it has (07-tendermint/errors.go)", () => {
  const codes = [
    ErrInvalidChainID,
    ErrInvalidTrustingPeriod,
    ErrInvalidHeader,
    ErrInvalidValidatorSet,
    ErrTrustingPeriodExpired,
    ErrInvalidTrustLevel,
  ].map((e) => [e.codespace, e.description, e.code]);
  expect(codes).toEqual([
    ['07-tendermint', 'invalid chain-id', 2],
    ['07-tendermint', 'invalid trusting period', 3],
    ['07-tendermint', 'invalid header', 6],
    ['07-tendermint', 'invalid validator set', 14],
    ['07-tendermint', 'time since latest trusted state has passed the trusting period', 11],
    ['07-tendermint', 'invalid trust level', 15],
  ]);
});

describe('create', () => {
  test('from a trusted header: one consensus state, latest height with the chain revision', () => {
    const { chain } = fourValidatorChain();
    const client = clientAt10(chain);
    expect(client.latestHeight).toEqual(h(10n));
    expect(client.status(at(20n))).toBe('Active');
    const cs = client.consensusState(h(10n))!;
    expect(Buffer.from(cs.root.hash)).toEqual(Buffer.from(chain.header(10n).appHash));
    expect(Buffer.from(cs.nextValidatorsHash)).toEqual(Buffer.from(validatorSetHash(chain.validatorsAt(11n))));
  });

  test('rejects bad parameters and unsigned or mismatched trusted headers', () => {
    const { chain, keys } = fourValidatorChain();
    const trusted = { signedHeader: chain.signed(10n), validatorSet: validatorSetOf(chain.validatorsAt(10n)) };
    expectError(ErrInvalidTrustingPeriod, () =>
      TendermintLightClient.create({ ...params, trustingPeriod: params.unbondingPeriod }, trusted, at(20n)),
    );
    expectError(ErrInvalidTrustLevel, () =>
      TendermintLightClient.create({ ...params, trustLevel: { numerator: 1n, denominator: 4n } }, trusted, at(20n)),
    );
    expectError(ErrInvalidChainID, () => TendermintLightClient.create({ ...params, chainId: 'zone-b-1' }, trusted, at(20n)));
    expectError(ErrNotEnoughVotingPower, () =>
      TendermintLightClient.create(params, { ...trusted, signedHeader: chain.signed(10n, {}, keys.slice(0, 2)) }, at(20n)),
    );
    const otherSet = validatorSetOf([TestValidatorKey.random().validator(10n)]);
    expectError(ErrInvalidValidatorSet, () => TendermintLightClient.create(params, { ...trusted, validatorSet: otherSet }, at(20n)));
    expectError(ErrTrustingPeriodExpired, () => TendermintLightClient.create(params, trusted, at(10n + 2n * HOUR)));
    expectError(ErrInvalidHeader, () => TendermintLightClient.create(params, trusted, at(0n)), 'future');
  });
});

describe('update', () => {
  test('adjacent (h+1) and non-adjacent (h+5) updates store consensus states and raise the latest height', () => {
    const { chain } = fourValidatorChain();
    const client = clientAt10(chain);
    const r1 = client.update(chain.update(11n, 10n), at(20n));
    expect(r1.kind).toBe('updated');
    expect(client.latestHeight).toEqual(h(11n));
    const r2 = client.update(chain.update(16n, 11n), at(20n));
    expect(r2.kind).toBe('updated');
    expect(client.latestHeight).toEqual(h(16n));
    expect(client.consensusStates.heights().map((x) => x.revisionHeight)).toEqual([10n, 11n, 16n]);
    // An older height in between is fine too and does not lower the latest height.
    expect(client.update(chain.update(13n, 11n), at(20n)).kind).toBe('updated');
    expect(client.latestHeight).toEqual(h(16n));
    // The same header again is a no-op.
    expect(client.update(chain.update(13n, 11n), at(20n)).kind).toBe('duplicate');
  });

  test('rejects a changed header, forged or foreign-chain signatures, and too little power', () => {
    const { chain, keys } = fourValidatorChain();
    const client = clientAt10(chain);
    // App hash changed after signing: the commit signs another block.
    const good = chain.signed(11n);
    const tampered: SignedHeader = { ...good, header: { ...good.header!, appHash: sha('evil') } };
    expectError(ErrInvalidHeader, () => client.update(chain.update(11n, 10n, tampered), at(20n)), 'commit signs block');
    // A forged signature.
    const forged = chain.signed(11n);
    forged.commit!.signatures[0]!.signature[5]! ^= 0xff;
    expectError(ErrInvalidCommit, () => client.update(chain.update(11n, 10n, forged), at(20n)), 'wrong signature (#0)');
    // Signed correctly, but for another chain id.
    expectError(
      ErrInvalidCommit,
      () => client.update(chain.update(11n, 10n, chain.signed(11n, {}, undefined, 'zone-b-1')), at(20n)),
      'wrong signature',
    );
    // A header of another chain, signed for it.
    expectError(ErrInvalidChainID, () => client.update(chain.update(11n, 10n, chain.signed(11n, { chainId: 'zone-b-1' })), at(20n)));
    // A valid signature filed under another validator's address.
    const misfiled = chain.signed(11n);
    misfiled.commit!.signatures[0]!.validatorAddress = misfiled.commit!.signatures[1]!.validatorAddress;
    expectError(ErrInvalidCommit, () => client.update(chain.update(11n, 10n, misfiled), at(20n)), 'names validator');
    // 2 of 4 equal validators is not > 2/3.
    expectError(ErrNotEnoughVotingPower, () => client.update(chain.update(11n, 10n, chain.signed(11n, {}, keys.slice(0, 2))), at(20n)));
    // 3 of 4 is.
    expect(client.update(chain.update(11n, 10n, chain.signed(11n, {}, keys.slice(0, 3))), at(20n)).kind).toBe('updated');
    expect(client.frozen).toBe(false);
  });

  test('validator sets: header must name its set; adjacent must be the promised set; trusted set must match', () => {
    const { chain } = fourValidatorChain();
    const client = clientAt10(chain);
    const msg = chain.update(11n, 10n);
    const stranger = validatorSetOf([TestValidatorKey.random().validator(10n)]);
    expectError(ErrInvalidValidatorSet, () => client.update({ ...msg, validatorSet: stranger }, at(20n)), 'validators hash');
    expectError(ErrInvalidValidatorSet, () => client.update({ ...msg, trustedValidators: stranger }, at(20n)), 'next validators hash');
    expectError(ErrConsensusStateNotFound, () => client.update({ ...msg, trustedHeight: h(9n) }, at(20n)));
    // A new set at 11 that the trusted state did not announce, adjacently: rejected.
    const newKeys = [0, 1, 2, 3].map(() => TestValidatorKey.random());
    const altered = new TestChain(newKeys.map((k) => k.validator(10n)));
    altered.register(...newKeys);
    const foreign = altered.signed(11n);
    expectError(
      ErrInvalidValidatorSet,
      () => client.update({ ...chain.update(11n, 10n, foreign), validatorSet: validatorSetOf(altered.validatorsAt(11n)) }, at(20n)),
      'trusted next validators',
    );
  });

  test('non-adjacent: needs more than 1/3 of the trusted power among the new signers', () => {
    const { chain, keys } = fourValidatorChain();
    const client = clientAt10(chain);
    const fresh = [0, 1, 2, 3].map(() => TestValidatorKey.random());
    chain.register(...fresh);
    // From height 14: two old validators (20 of the trusted 40 > 40/3) and two new ones.
    chain.setValidatorsFrom(
      14n,
      [keys[0]!, keys[1]!, fresh[0]!, fresh[1]!].map((k) => k.validator(10n)),
    );
    expect(client.update(chain.update(15n, 10n), at(20n)).kind).toBe('updated');
    // From height 20: one old validator (10 of 40, not > 13) and three new: too little overlap.
    chain.setValidatorsFrom(
      20n,
      [keys[2]!, fresh[1]!, fresh[2]!, fresh[3]!].map((k) => k.validator(10n)),
    );
    const trustedFrom10 = { ...chain.update(21n, 10n), trustedValidators: validatorSetOf(chain.validatorsAt(11n)) };
    expectError(ErrNotEnoughVotingPower, () => client.update(trustedFrom10, at(30n)), 'trusted validators');
  });

  test('time: the header must be after the trusted one and not beyond the clock drift', () => {
    const { chain } = fourValidatorChain();
    const client = clientAt10(chain);
    const early = chain.signed(12n, { time: { seconds: T0 + 10n, nanos: 0 } });
    expectError(ErrInvalidHeader, () => client.update(chain.update(12n, 10n, early), at(20n)), 'after the trusted header time');
    // Header at T0+12 s, host clock at T0+1 s with 10 s drift: from the future.
    expectError(ErrInvalidHeader, () => client.update(chain.update(12n, 10n), at(1n)), 'from the future');
  });

  test('trusting period: an update from an expired trusted state fails, as does any update of an expired client', () => {
    const { chain } = fourValidatorChain();
    const client = clientAt10(chain);
    client.update(chain.update(11n, 10n), at(20n));
    // The state at 10 has expired, the one at 11 is 1 s younger and has not.
    const justExpired = at(10n + 2n * HOUR);
    expectError(ErrTrustingPeriodExpired, () => client.update(chain.update(12n, 10n), justExpired));
    expect(client.update(chain.update(12n, 11n), justExpired).kind).toBe('updated');
    // Now nothing is younger than the trusting period: the client is expired.
    const later = at(12n + 2n * HOUR);
    expect(client.status(later)).toBe('Expired');
    expectError(ErrClientExpired, () => client.update(chain.update(13n, 12n), later));
  });
});

describe('misbehaviour freezes the client', () => {
  test('a second, different valid header at a stored height', () => {
    const { chain } = fourValidatorChain();
    const client = clientAt10(chain);
    client.update(chain.update(11n, 10n), at(20n));
    const conflicting = chain.signed(11n, { appHash: sha('fork') });
    const result = client.update(chain.update(11n, 10n, conflicting), at(20n));
    expect(result.kind).toBe('frozen');
    expect(client.frozen).toBe(true);
    expect(client.status(at(20n))).toBe('Frozen');
    // The conflicting state was not stored, and a frozen client accepts nothing.
    expect(Buffer.from(client.consensusState(h(11n))!.root.hash)).toEqual(Buffer.from(chain.header(11n).appHash));
    expectError(ErrClientFrozen, () => client.update(chain.update(12n, 11n), at(20n)));
  });

  test('a header whose time breaks monotonicity with its stored neighbours', () => {
    const { chain } = fourValidatorChain();
    const client = clientAt10(chain);
    client.update(chain.update(15n, 10n), at(30n));
    // Height 13 timed after height 15.
    const late = chain.signed(13n, { time: { seconds: T0 + 16n, nanos: 0 } });
    expect(client.update(chain.update(13n, 10n, late), at(30n)).kind).toBe('frozen');
    expect(client.frozen).toBe(true);
  });

  test('MsgSubmitMisbehaviour: two blocks at one height, or time running backwards', () => {
    const { chain } = fourValidatorChain();
    const fork = chain.update(12n, 10n, chain.signed(12n, { appHash: sha('fork') }));
    const honest = chain.update(12n, 10n);
    let client = clientAt10(chain);
    // The same block twice is not misbehaviour.
    expectError(
      ErrInvalidMisbehaviour,
      () => client.submitMisbehaviour({ clientId: '', header1: honest, header2: honest }, at(20n)),
      'same block',
    );
    client.submitMisbehaviour({ clientId: '', header1: honest, header2: fork }, at(20n));
    expect(client.frozen).toBe(true);
    expectError(ErrClientFrozen, () => client.submitMisbehaviour({ clientId: '', header1: honest, header2: fork }, at(20n)));

    client = clientAt10(chain);
    const backwards = chain.update(14n, 10n, chain.signed(14n, { time: { seconds: T0 + 11n, nanos: 0 } }));
    // Consistent times are not misbehaviour; header1 must be the higher one.
    expectError(
      ErrInvalidMisbehaviour,
      () => client.submitMisbehaviour({ clientId: '', header1: chain.update(14n, 10n), header2: honest }, at(20n)),
      'consistent in time',
    );
    expectError(
      ErrInvalidMisbehaviour,
      () => client.submitMisbehaviour({ clientId: '', header1: honest, header2: backwards }, at(20n)),
      'header1 height',
    );
    client.submitMisbehaviour({ clientId: '', header1: backwards, header2: honest }, at(20n));
    expect(client.frozen).toBe(true);
  });

  test('evidence must itself be validly signed', () => {
    const { chain, keys } = fourValidatorChain();
    const client = clientAt10(chain);
    const weak = chain.update(12n, 10n, chain.signed(12n, { appHash: sha('fork') }, keys.slice(0, 2)));
    expectError(ErrNotEnoughVotingPower, () =>
      client.submitMisbehaviour({ clientId: '', header1: chain.update(12n, 10n), header2: weak }, at(20n)),
    );
    expect(client.frozen).toBe(false);
  });
});

test('MemoryConsensusStates finds neighbours in height order', () => {
  const states = new MemoryConsensusStates();
  const cs = (n: number) => ({
    timestamp: { seconds: BigInt(n), nanos: 0 },
    root: { hash: new Uint8Array() },
    nextValidatorsHash: new Uint8Array(),
  });
  for (const n of [5, 1, 9, 3]) states.set(h(BigInt(n)), cs(n));
  expect(states.heights().map((x) => x.revisionHeight)).toEqual([1n, 3n, 5n, 9n]);
  expect(states.previous(h(5n))?.timestamp.seconds).toBe(3n);
  expect(states.next(h(5n))?.timestamp.seconds).toBe(9n);
  expect(states.previous(h(4n))?.timestamp.seconds).toBe(3n);
  expect(states.next(h(4n))?.timestamp.seconds).toBe(5n);
  expect(states.previous(h(1n))).toBeUndefined();
  expect(states.next(h(9n))).toBeUndefined();
});
