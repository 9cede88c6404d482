import { ModuleAccount } from 'cosmjs-types/cosmos/auth/v1beta1/auth';
import { PubKey } from 'cosmjs-types/cosmos/crypto/secp256k1/keys';
import { Tx } from 'cosmjs-types/cosmos/tx/v1beta1/tx';
import { composeChain } from '../app.js';
import { MsgSubmitProposal } from '../../generated/parazone/governance/v1/tx.js';
import { MsgMint } from '../../generated/parazone/tokens/v1/tx.js';
import { QueryProposalResponse } from '../../generated/parazone/governance/v1/query.js';
import { makeChainConfig } from '../types/chain-config.js';
import { ProtoJson, protoJsonFor } from './proto-json.js';
import { pubKeyToAny } from '../crypto/account-keys.js';

const config = makeChainConfig();
const json = protoJsonFor(composeChain({ config }).modules);
const gov = config.addresses.moduleAddress('governance');
const alice = config.addresses.moduleAddress('alice-test');

const mintJson = { '@type': '/parazone.tokens.v1.MsgMint', authority: gov, recipient: alice, amount: [{ denom: 'upara', amount: '5' }] };

describe('ProtoJson', () => {
  it('reads a proposal whose messages are written with @type, and prints it back the same', () => {
    const input = { messages: [mintJson], initialDeposit: [{ denom: 'upara', amount: '10' }], proposer: alice, title: 't', summary: 's' };
    const msg = json.fromJson(MsgSubmitProposal, input);
    expect(msg.messages[0]!.typeUrl).toBe('/parazone.tokens.v1.MsgMint');
    expect(MsgMint.decode(msg.messages[0]!.value)).toEqual(
      MsgMint.fromPartial({ authority: gov, recipient: alice, amount: [{ denom: 'upara', amount: '5' }] }),
    );
    expect(json.toJson(MsgSubmitProposal, msg)).toEqual(input);
  });

  it('handles an Any inside an Any (a proposal that submits a proposal), both ways', () => {
    const inner = { '@type': '/parazone.governance.v1.MsgSubmitProposal', messages: [mintJson], proposer: gov, title: 'inner' };
    const outer = { messages: [inner], proposer: alice, title: 'outer' };
    const msg = json.fromJson(MsgSubmitProposal, outer);
    const innerMsg = MsgSubmitProposal.decode(msg.messages[0]!.value);
    expect(innerMsg.messages[0]!.typeUrl).toBe('/parazone.tokens.v1.MsgMint');
    // ts-proto's toJSON leaves out fields at their defaults, as proto3 JSON allows.
    expect(json.toJson(MsgSubmitProposal, msg)).toEqual(outer);
  });

  it('prints a stored proposal (query response) with readable messages', () => {
    const response = QueryProposalResponse.fromPartial({
      proposal: {
        id: 3n,
        title: 'mint',
        messages: [
          {
            typeUrl: '/parazone.tokens.v1.MsgMint',
            value: Buffer.from(
              MsgMint.encode(MsgMint.fromPartial({ authority: gov, recipient: alice, amount: [{ denom: 'upara', amount: '5' }] })).finish(),
            ),
          },
        ],
      },
    });
    const printed = json.toJson(QueryProposalResponse, response) as { proposal: { id: string; messages: unknown[] } };
    expect(printed.proposal.id).toBe('3');
    expect(printed.proposal.messages).toEqual([mintJson]);
  });

  it('prints a tx with its Msgs and its signer public key (cosmjs-types codecs)', () => {
    const key = new Uint8Array(33).fill(2);
    const tx = Tx.fromPartial({
      body: {
        messages: [
          {
            typeUrl: '/parazone.tokens.v1.MsgMint',
            value: MsgMint.encode(MsgMint.fromPartial({ authority: gov, recipient: alice })).finish(),
          },
        ],
      },
      authInfo: {
        signerInfos: [{ publicKey: { typeUrl: '/cosmos.crypto.secp256k1.PubKey', value: PubKey.encode({ key }).finish() }, sequence: 7n }],
      },
      signatures: [new Uint8Array([1, 2])],
    });
    const printed = json.toJson(Tx, tx) as {
      body: { messages: { '@type': string }[] };
      authInfo: { signerInfos: { publicKey: unknown; sequence: string }[] };
    };
    expect(printed.body.messages[0]!['@type']).toBe('/parazone.tokens.v1.MsgMint');
    expect(printed.authInfo.signerInfos[0]!.publicKey).toEqual({
      '@type': '/cosmos.crypto.secp256k1.PubKey',
      key: Buffer.from(key).toString('base64'),
    });
    expect(printed.authInfo.signerInfos[0]!.sequence).toBe('7');
    // And back: the same bytes.
    expect(Tx.encode(json.fromJson(Tx, printed)).finish()).toEqual(Tx.encode(tx).finish());
  });

  it('prints and reads an ML-DSA pubkey held in an Any', () => {
    const any = pubKeyToAny({ algo: 'ml-dsa-65', key: new Uint8Array(1952).fill(7) });
    const printed = json.anyToJson(any) as Record<string, unknown>;
    expect(printed).toEqual({
      '@type': '/parazone.crypto.mldsa.v1.PubKey',
      parameterSet: 'PARAMETER_SET_ML_DSA_65',
      key: Buffer.alloc(1952, 7).toString('base64'),
    });
    const back = json.anyFromJson(printed);
    expect(back.typeUrl).toBe(any.typeUrl);
    expect(Buffer.from(back.value)).toEqual(Buffer.from(any.value));
  });

  it('prints a module account held in an Any', () => {
    const account = ModuleAccount.fromPartial({ baseAccount: { address: gov, accountNumber: 4n }, name: 'governance', permissions: [] });
    expect(json.anyToJson({ typeUrl: '/cosmos.auth.v1beta1.ModuleAccount', value: ModuleAccount.encode(account).finish() })).toMatchObject({
      '@type': '/cosmos.auth.v1beta1.ModuleAccount',
      baseAccount: { address: gov, accountNumber: '4' },
      name: 'governance',
    });
    const back = json.anyFromJson(
      json.anyToJson({ typeUrl: '/cosmos.auth.v1beta1.ModuleAccount', value: ModuleAccount.encode(account).finish() }),
    );
    expect(ModuleAccount.decode(back.value)).toEqual(account);
  });

  it('names an unknown @type and lists what is registered', () => {
    const input = { messages: [{ '@type': '/acme.notes.v1.MsgSetNote', note: 'x' }] };
    expect(() => json.fromJson(MsgSubmitProposal, input)).toThrow(
      /\$\.messages\[0\]: unknown type "\/acme\.notes\.v1\.MsgSetNote".*registered types are: .*\/parazone\.tokens\.v1\.MsgMint/,
    );
    expect(() =>
      json.toJson(
        MsgSubmitProposal,
        MsgSubmitProposal.fromPartial({ messages: [{ typeUrl: '/acme.notes.v1.MsgSetNote', value: Buffer.from([1]) }] }),
      ),
    ).toThrow(/unknown type "\/acme\.notes\.v1\.MsgSetNote"/);
  });

  it('refuses an empty @type and a type URL without the leading slash', () => {
    expect(() => json.fromJson(MsgSubmitProposal, { messages: [{ '@type': '' }] })).toThrow(/"@type" must be a non-empty type URL/);
    expect(() => new ProtoJson().register('cosmos.Foo', MsgMint)).toThrow(/must start with "\/"/);
  });
});
