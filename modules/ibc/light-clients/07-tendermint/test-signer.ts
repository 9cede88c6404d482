/**
 * Builds signed CometBFT headers in-process, for tests and the in-process IBC coordinator: real
 * ed25519 keys, real header hashes and sign bytes, so the verifier sees exactly what a chain
 * would produce. Also signs with a CometBFT `priv_validator_key.json` key, to forge conflicting
 * headers for misbehaviour tests.
 */
import { createPrivateKey, createPublicKey, randomBytes, sign } from 'node:crypto';
import type { Timestamp } from 'cosmjs-types/google/protobuf/timestamp';
import type { BlockID, Commit, CommitSig, Header, SignedHeader } from 'cosmjs-types/tendermint/types/types';
import { BlockIDFlag, type Validator, type ValidatorSet } from 'cosmjs-types/tendermint/types/validator';
import { ed25519Address } from './ed25519.js';
import { headerHash, precommitSignBytes, validatorSetHash } from './encoding.js';
import { sha256 } from './merkle.js';
import { GO_ZERO_TIME_SECONDS } from './time.js';

const PKCS8_ED25519_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

export class TestValidatorKey {
  readonly publicKey: Uint8Array;
  readonly address: Uint8Array;
  private readonly privateKey: ReturnType<typeof createPrivateKey>;

  /** From a 32-byte ed25519 seed (CometBFT stores seed ‖ public key as its 64-byte private key). */
  constructor(seed: Uint8Array) {
    if (seed.length !== 32) throw new Error('ed25519 seed must be 32 bytes');
    this.privateKey = createPrivateKey({ key: Buffer.concat([PKCS8_ED25519_PREFIX, seed]), format: 'der', type: 'pkcs8' });
    const spki = createPublicKey(this.privateKey).export({ format: 'der', type: 'spki' });
    this.publicKey = new Uint8Array(spki.subarray(spki.length - 32));
    this.address = ed25519Address(this.publicKey);
  }

  static random(): TestValidatorKey {
    return new TestValidatorKey(randomBytes(32));
  }

  /** From the JSON of CometBFT's `config/priv_validator_key.json`. */
  static fromPrivValidatorKey(json: { priv_key: { value: string } }): TestValidatorKey {
    const bytes = Buffer.from(json.priv_key.value, 'base64');
    return new TestValidatorKey(bytes.subarray(0, 32));
  }

  sign(message: Uint8Array): Uint8Array {
    return new Uint8Array(sign(null, message, this.privateKey));
  }

  validator(votingPower: bigint): Validator {
    return { address: this.address, pubKey: { ed25519: this.publicKey }, votingPower, proposerPriority: 0n };
  }
}

export function validatorSetOf(validators: Validator[]): ValidatorSet {
  return { validators, proposer: validators[0], totalVotingPower: validators.reduce((s, v) => s + v.votingPower, 0n) };
}

/** The block id of `header`: its hash, with a stand-in part set header (not part of any hash we check). */
export function blockIdOf(header: Header): BlockID {
  const hash = headerHash(header);
  if (hash === undefined) throw new Error('header has no validators hash');
  return { hash, partSetHeader: { total: 1, hash: sha256(hash) } };
}

/**
 * A commit for `blockId` at `height` in which the validators whose key is in `signers` sign
 * (for `chainId`, which tests may set to another chain's) and the others are absent.
 */
export function signCommit(options: {
  chainId: string;
  height: bigint;
  round?: number;
  blockId: BlockID;
  validators: readonly Validator[];
  signers: readonly TestValidatorKey[];
  time: Timestamp;
}): Commit {
  const round = options.round ?? 0;
  const signatures: CommitSig[] = options.validators.map((v) => {
    const key = options.signers.find((k) => Buffer.compare(k.address, v.address) === 0);
    if (key === undefined) {
      return {
        blockIdFlag: BlockIDFlag.BLOCK_ID_FLAG_ABSENT,
        validatorAddress: new Uint8Array(),
        timestamp: { seconds: GO_ZERO_TIME_SECONDS, nanos: 0 },
        signature: new Uint8Array(),
      };
    }
    const signBytes = precommitSignBytes(options.chainId, options.height, round, options.blockId, options.time);
    return {
      blockIdFlag: BlockIDFlag.BLOCK_ID_FLAG_COMMIT,
      validatorAddress: key.address,
      timestamp: options.time,
      signature: key.sign(signBytes),
    };
  });
  return { height: options.height, round, blockId: options.blockId, signatures };
}

/** Re-signs `header` (after edits) by `signers` of `validators`: a new block id and commit. */
export function resign(
  header: Header,
  validators: readonly Validator[],
  signers: readonly TestValidatorKey[],
  chainId = header.chainId,
): SignedHeader {
  const blockId = blockIdOf(header);
  return { header, commit: signCommit({ chainId, height: header.height, blockId, validators, signers, time: header.time }) };
}

export interface TestBlock {
  readonly chainId: string;
  readonly height: bigint;
  readonly time: Timestamp;
  readonly validators: Validator[];
  readonly nextValidators: Validator[];
  readonly appHash?: Uint8Array;
  readonly lastBlockId?: BlockID;
}

/** A well-formed CometBFT v0.38 header for `block` (hashes filled in from the validator sets). */
export function makeHeader(block: TestBlock): Header {
  return {
    version: { block: 11n, app: 1n },
    chainId: block.chainId,
    height: block.height,
    time: block.time,
    lastBlockId: block.lastBlockId ?? { hash: new Uint8Array(), partSetHeader: { total: 0, hash: new Uint8Array() } },
    lastCommitHash: sha256(Uint8Array.of(1)),
    dataHash: sha256(),
    validatorsHash: validatorSetHash(block.validators),
    nextValidatorsHash: validatorSetHash(block.nextValidators),
    consensusHash: sha256(Uint8Array.of(2)),
    appHash: block.appHash ?? sha256(Uint8Array.of(3), Buffer.from(block.height.toString())),
    lastResultsHash: sha256(),
    evidenceHash: sha256(),
    proposerAddress: block.validators[0]!.address,
  };
}
