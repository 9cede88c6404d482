/**
 * The `Any` type URLs of the public keys an account may hold. Kept apart from the key code so
 * that light readers (proto3 JSON in the CLI) can name them without loading the signature
 * libraries.
 */
export const SECP256K1_PUBKEY_TYPE_URL = '/cosmos.crypto.secp256k1.PubKey';
export const ML_DSA_PUBKEY_TYPE_URL = '/parazone.crypto.mldsa.v1.PubKey';
/** The SDK's k-of-n multisig key (cosmos.crypto.multisig.LegacyAminoPubKey); its members are Anys of the types above (or multisigs). */
export const MULTISIG_PUBKEY_TYPE_URL = '/cosmos.crypto.multisig.LegacyAminoPubKey';
