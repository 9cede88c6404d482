import { makeSignDoc, serializeSignDoc } from '@cosmjs/amino';
import { toBech32 } from '@cosmjs/encoding';
import { Registry } from '@cosmjs/proto-signing';
import { AminoTypes, createDefaultAminoConverters, defaultRegistryTypes } from '@cosmjs/stargate';
import { MsgMultiSend, MsgSend } from 'cosmjs-types/cosmos/bank/v1beta1/tx';
import { AuthInfo, TxRaw } from 'cosmjs-types/cosmos/tx/v1beta1/tx';
import { parazoneAminoConverters } from '../amino-converters.js';
import { composeChain } from '../app.js';
import { Router } from '../baseapp/router.js';
import { decodeTx } from '../baseapp/tx-decoder.js';
import { makeAminoSignBytes } from '../crypto/amino-sign-doc.js';
import { ChainError } from '../types/errors.js';
import { MsgCreateClient } from '../../generated/parazone/ibc/v1/tx.js';
import { MsgSubmitProposal, MsgVote } from '../../generated/parazone/governance/v1/tx.js';
import { MsgMint } from '../../generated/parazone/tokens/v1/tx.js';
import { MsgShip } from '../../generated/parazone/drugregistry/v1/tx.js';
import { VoteOption } from '../../generated/parazone/governance/v1/gov.js';
import { AminoJsonCodec } from './amino-json.js';
import { coreSchemas } from './message-schemas.js';

const chain = composeChain();
const router = new Router(chain.modules);
const codec = chain.aminoJson;
const cosmjs = new AminoTypes(createDefaultAminoConverters());
const A = toBech32('para', new Uint8Array(20).fill(1));
const B = toBech32('para', new Uint8Array(20).fill(2));

/** The decoded tx the ante would see for these Msgs (the signature is not checked here). */
function decoded(
  msgs: { typeUrl: string; value: unknown }[],
  options: { memo?: string; timeoutHeight?: bigint; fee?: { denom: string; amount: string }[]; gas?: bigint } = {},
) {
  const registry = new Registry(defaultRegistryTypes);
  for (const m of chain.modules.flatMap((mod) => mod.msgs ?? []))
    if (!registry.lookupType(m.typeUrl)) registry.register(m.typeUrl, m.type as never);
  const bodyBytes = registry.encodeTxBody({ messages: msgs, memo: options.memo ?? '', timeoutHeight: options.timeoutHeight });
  const authInfoBytes = AuthInfo.encode(
    AuthInfo.fromPartial({
      signerInfos: [{ sequence: 7n, modeInfo: { single: { mode: 127 } } }],
      fee: { amount: options.fee ?? [], gasLimit: options.gas ?? 200_000n },
    }),
  ).finish();
  return decodeTx(TxRaw.encode({ bodyBytes, authInfoBytes, signatures: [new Uint8Array(64)] }).finish(), (url) => router.handler(url));
}

const send = {
  typeUrl: '/cosmos.bank.v1beta1.MsgSend',
  value: MsgSend.fromPartial({ fromAddress: A, toAddress: B, amount: [{ denom: 'upara', amount: '1000' }] }),
};

describe('amino JSON sign bytes', () => {
  it('are the StdSignDoc cosmjs serializes for the same tx: sorted keys, compact, &<> escaped', () => {
    const tx = decoded([send], { memo: 'pay <Bob> & co', timeoutHeight: 99n, fee: [{ denom: 'upara', amount: '5000' }] });
    const bytes = makeAminoSignBytes(tx, codec, 'para-1', 3n, 7n);
    const expected =
      '{"account_number":"3","chain_id":"para-1","fee":{"amount":[{"amount":"5000","denom":"upara"}],"gas":"200000"},' +
      '"memo":"pay \\u003cBob\\u003e \\u0026 co","msgs":[{"type":"cosmos-sdk/MsgSend","value":{"amount":[{"amount":"1000","denom":"upara"}],' +
      `"from_address":"${A}","to_address":"${B}"}}],"sequence":"7","timeout_height":"99"}`;
    expect(Buffer.from(bytes).toString()).toBe(expected);
    const reference = serializeSignDoc(
      makeSignDoc(
        [cosmjs.toAmino(send)],
        { amount: [{ denom: 'upara', amount: '5000' }], gas: '200000' },
        'para-1',
        'pay <Bob> & co',
        3,
        7,
        99n,
      ),
    );
    expect(Buffer.from(bytes).toString()).toBe(Buffer.from(reference).toString());
  });

  it('write an empty fee as amount [] and gas "0", and leave a zero timeout height out', () => {
    const tx = decoded([send], { gas: 0n });
    const doc = JSON.parse(Buffer.from(makeAminoSignBytes(tx, codec, 'c', 0n, 0n)).toString());
    expect(doc.fee).toEqual({ amount: [], gas: '0' });
    expect(doc).not.toHaveProperty('timeout_height');
    expect(Buffer.from(makeAminoSignBytes(tx, codec, 'c', 0n, 0n))).toEqual(
      Buffer.from(serializeSignDoc(makeSignDoc([cosmjs.toAmino(send)], { amount: [], gas: '0' }, 'c', '', 0, 0))),
    );
  });

  it('refuse (18) a Msg without an amino name and a timeout timestamp the doc cannot cover', () => {
    const update = { typeUrl: '/ibc.core.client.v1.MsgUpdateClient', value: { clientId: '07-tendermint-0', signer: A } };
    const refused = (fn: () => unknown) => {
      try {
        fn();
      } catch (err) {
        return err as ChainError;
      }
      throw new Error('not refused');
    };
    const noName = refused(() => makeAminoSignBytes(decoded([update]), codec, 'c', 0n, 0n));
    expect({ code: noName.code, codespace: noName.codespace }).toEqual({ code: 18, codespace: 'sdk' });
    expect(noName.message).toMatch('/ibc.core.client.v1.MsgUpdateClient has no amino name');
    const tx = decoded([send]);
    const timed = { ...tx, body: { ...tx.body, timeoutTimestamp: { seconds: 1n, nanos: 0 } } };
    expect(refused(() => makeAminoSignBytes(timed, codec, 'c', 0n, 0n)).message).toMatch('timeout_timestamp');
  });
});

describe('amino JSON of Msgs', () => {
  it("matches cosmjs's own converters for the bank Msgs, both ways", () => {
    const multi = {
      typeUrl: '/cosmos.bank.v1beta1.MsgMultiSend',
      value: MsgMultiSend.fromPartial({
        inputs: [{ address: A, coins: [{ denom: 'upara', amount: '3' }] }],
        outputs: [{ address: B, coins: [{ denom: 'upara', amount: '3' }] }],
      }),
    };
    for (const msg of [send, multi]) {
      const amino = codec.toAmino(msg.typeUrl, msg.value);
      expect(amino).toEqual(cosmjs.toAmino(msg));
      expect(codec.fromAmino(amino)).toEqual(cosmjs.fromAmino(amino));
    }
  });

  it("follows the SDK's rules for ours: proto names, zero values left out, 64-bit as strings, enums as numbers, bytes base64, Coins always", () => {
    const vote = MsgVote.fromPartial({ proposalId: 12n, voter: A, option: VoteOption.VOTE_OPTION_NO });
    expect(codec.toAmino('/parazone.governance.v1.MsgVote', vote)).toEqual({
      type: 'parazone/governance/MsgVote',
      value: { proposal_id: '12', voter: A, option: 3 },
    });
    const create = MsgCreateClient.fromPartial({ clientParams: Buffer.from([1, 2, 255]), signer: A });
    expect(codec.toAmino('/parazone.ibc.v1.MsgCreateClient', create).value).toEqual({ client_params: 'AQL/', signer: A });
    const mint = MsgMint.fromPartial({ authority: A, recipient: B, amount: [{ denom: 'upara', amount: '5' }] });
    const submit = MsgSubmitProposal.fromPartial({
      messages: [{ typeUrl: '/parazone.tokens.v1.MsgMint', value: Buffer.from(MsgMint.encode(mint).finish()) }],
      proposer: A,
      title: 'Mint',
    });
    expect(codec.toAmino('/parazone.governance.v1.MsgSubmitProposal', submit)).toEqual({
      type: 'parazone/governance/MsgSubmitProposal',
      value: {
        messages: [{ type: 'parazone/tokens/MsgMint', value: { authority: A, recipient: B, amount: [{ denom: 'upara', amount: '5' }] } }],
        initial_deposit: [],
        proposer: A,
        title: 'Mint',
      },
    });
  });

  it('round-trip through the exported cosmjs converters to the same protobuf bytes', () => {
    const converters = parazoneAminoConverters();
    expect(converters['/cosmos.bank.v1beta1.MsgSend']).toBeUndefined(); // cosmjs has its own
    const types = new AminoTypes({ ...createDefaultAminoConverters(), ...converters });
    const ship = MsgShip.fromPartial({ signer: A, to: B, units: [{ gtin: '09506000134352', serial: 'S1' }], containers: ['c1'] });
    const mint = MsgMint.fromPartial({ authority: A, recipient: B, amount: [{ denom: 'upara', amount: '5' }] });
    const submit = MsgSubmitProposal.fromPartial({
      messages: [{ typeUrl: '/parazone.tokens.v1.MsgMint', value: Buffer.from(MsgMint.encode(mint).finish()) }],
      proposer: A,
      initialDeposit: [{ denom: 'upara', amount: '9' }],
    });
    const cases = [
      { typeUrl: '/parazone.drugregistry.v1.MsgShip', value: ship, type: MsgShip },
      { typeUrl: '/parazone.governance.v1.MsgSubmitProposal', value: submit, type: MsgSubmitProposal },
      { typeUrl: '/parazone.governance.v1.MsgVote', value: MsgVote.fromPartial({ proposalId: 1n, voter: A, option: 1 }), type: MsgVote },
    ] as const;
    for (const { typeUrl, value, type } of cases) {
      const back = types.fromAmino(types.toAmino({ typeUrl, value }));
      expect(back.typeUrl).toBe(typeUrl);
      expect(Buffer.from((type as typeof MsgShip).encode(back.value).finish())).toEqual(
        Buffer.from((type as typeof MsgShip).encode(value as never).finish()),
      );
    }
    // Loose input (a number for a uint64) is put through the codec first.
    expect(types.toAmino({ typeUrl: '/parazone.governance.v1.MsgVote', value: { proposalId: 4, voter: A } }).value).toEqual({
      proposal_id: '4',
      voter: A,
    });
  });

  it('gives every Msg of ours a unique amino name of at most 39 characters, and refuses a chain that breaks that', () => {
    const names = chain.modules
      .flatMap((m) => m.msgs ?? [])
      .filter((h) => h.typeUrl.startsWith('/parazone.'))
      .map((h) => h.aminoName);
    expect(names.every((n) => n !== undefined && n.startsWith('parazone/') && n.length <= 39)).toBe(true);
    expect(new Set(names).size).toBe(names.length);
    const type = MsgVote as never;
    expect(
      () =>
        new AminoJsonCodec(coreSchemas, [{ typeUrl: '/parazone.governance.v1.MsgVote', type, aminoName: `parazone/${'x'.repeat(31)}` }]),
    ).toThrow('1-39 characters');
    expect(
      () =>
        new AminoJsonCodec(coreSchemas, [
          { typeUrl: '/parazone.governance.v1.MsgVote', type, aminoName: 'parazone/Same' },
          { typeUrl: '/parazone.governance.v1.MsgDeposit', type, aminoName: 'parazone/Same' },
        ]),
    ).toThrow('both claim amino name');
  });
});
