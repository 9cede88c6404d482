import { createDefaultAminoConverters, type AminoConverters } from '@cosmjs/stargate';
import { composeChain, type ChainSpec } from './app.js';

/**
 * cosmjs AminoConverters for the chain's Msgs that cosmjs does not convert itself, for amino
 * signers (Ledger, `Secp256k1HdWallet`):
 *
 *   new AminoTypes({ ...createDefaultAminoConverters(), ...parazoneAminoConverters() })
 *
 * They come from the same amino JSON the chain checks signatures against (app/codec/amino-json.ts),
 * so what the wallet signs is what the ante verifies. Pass the spec of a chain with extra modules
 * to get theirs too.
 */
export function parazoneAminoConverters(spec: ChainSpec = {}): AminoConverters {
  const cosmjs = createDefaultAminoConverters();
  const ours = composeChain(spec).aminoJson.converters();
  return Object.fromEntries(Object.entries(ours).filter(([typeUrl]) => !(typeUrl in cosmjs)));
}
