/** A CometBFT v0.38 light client under ibc-go's 07-tendermint rules. */
export {
  DEFAULT_TRUST_LEVEL,
  FROZEN_HEIGHT,
  clientStatus,
  consensusStateFromHeader,
  createClient,
  freeze,
  headerIsMisbehaviour,
  heightOfHeader,
  isFrozen,
  revisionNumberOf,
  submitMisbehaviour,
  updateClient,
  validateClientState,
  verifyHeader,
  type ClientParams,
  type ClientStatus,
  type UpdateResult,
} from './client.js';
export { MemoryConsensusStates, compareHeights, heightString, type ConsensusStates } from './consensus-states.js';
export { TendermintLightClient } from './light-client.js';
export {
  canonicalVoteBytes,
  headerHash,
  precommitSignBytes,
  simpleValidatorBytes,
  validatorSetHash,
  type CanonicalVoteFields,
} from './encoding.js';
export { hashFromByteSlices } from './merkle.js';
export { ed25519Address, verifyEd25519 } from './ed25519.js';
export {
  validateCommitBasic,
  validateHeaderBasic,
  validateSignedHeader,
  validateTrustLevel,
  validateValidatorSet,
  verifyCommitLight,
  verifyCommitLightTrusting,
} from './validation.js';
export * from './errors.js';
export { durationFromSeconds, nanosToTimestamp, nowToNanos, parseRfc3339Nano, timestampToNanos, type Now } from './time.js';
export {
  commitFromRpc,
  headerFromRpc,
  signedHeaderFromRpc,
  validatorSetFromRpc,
  type RpcCommitResult,
  type RpcValidatorsResult,
} from './rpc-json.js';
export { TendermintLightClientModule } from './module.js';
