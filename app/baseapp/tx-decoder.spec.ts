import fc from 'fast-check';
import { createHash } from 'node:crypto';
import { BinaryWriter } from 'cosmjs-types/binary';
import { Fee, ModeInfo, Tip, TxBody, TxRaw } from 'cosmjs-types/cosmos/tx/v1beta1/tx';
import { MsgSend } from 'cosmjs-types/cosmos/bank/v1beta1/tx';
import { Coin } from 'cosmjs-types/cosmos/base/v1beta1/coin';
import { PubKey } from 'cosmjs-types/cosmos/crypto/secp256k1/keys';
import { LegacyAminoPubKey } from 'cosmjs-types/cosmos/crypto/multisig/keys';
import { SignMode } from 'cosmjs-types/cosmos/tx/signing/v1beta1/signing';
import { Any } from 'cosmjs-types/google/protobuf/any';
import { MsgSubmitProposal } from '../../generated/parazone/governance/v1/tx.js';
import { composeChain } from '../app.js';
import { ChainError, ErrInvalidAddress } from '../types/errors.js';
import type { MsgHandler } from '../types/module.js';
import { lookupTestMsg, msgSend, msgSendHandler, registry, signTx, testSigners, type TestSigner } from '../../modules/auth/testing.js';
import { Router } from './router.js';
import { decodeTx } from './tx-decoder.js';

const CHAIN = 'para-test';
let alice: TestSigner;
let bob: TestSigner;

beforeAll(async () => {
  [alice, bob] = await testSigners(2);
});

function codeOf(fn: () => unknown): { codespace: string; code: number; message: string } {
  try {
    fn();
  } catch (err) {
    if (!(err instanceof ChainError)) throw new Error(`expected a ChainError, got ${String(err)}`);
    return { codespace: err.codespace, code: err.code, message: err.message };
  }
  throw new Error('expected a throw');
}

function raw(body: Partial<TxBody>, authInfoBytes: Uint8Array, signatures: Uint8Array[]): Uint8Array {
  return TxRaw.encode({ bodyBytes: TxBody.encode({ ...TxBody.fromPartial({}), ...body }).finish(), authInfoBytes, signatures }).finish();
}

describe('decodeTx', () => {
  it('decodes a cosmjs-signed tx: msgs, signers in order of first appearance, hash of the exact bytes', async () => {
    const tx = await signTx({
      msgs: [msgSend(bob.address, alice.address), msgSend(alice.address, bob.address), msgSend(bob.address, alice.address)],
      signers: [
        { signer: bob, accountNumber: 1, sequence: 0 },
        { signer: alice, accountNumber: 0, sequence: 0 },
      ],
      chainId: CHAIN,
      memo: 'hi',
    });
    const decoded = decodeTx(tx.bytes, lookupTestMsg);
    expect(decoded.signers).toEqual([bob.address, alice.address]);
    expect(decoded.msgs).toHaveLength(3);
    expect((decoded.msgs[1]!.value as MsgSend).fromAddress).toBe(alice.address);
    expect(decoded.msgs[0]!.handler).toBe(msgSendHandler);
    expect(decoded.body.memo).toBe('hi');
    expect(Buffer.from(decoded.raw.bodyBytes)).toEqual(Buffer.from(tx.bodyBytes));
    expect(Buffer.from(decoded.hash).toString('hex')).toBe(createHash('sha256').update(tx.bytes).digest('hex'));
    expect(decoded.authInfo.signerInfos).toHaveLength(2);
  });

  it('rejects random bytes and truncated txs with ErrTxDecode (2)', async () => {
    const tx = await signTx({
      msgs: [msgSend(alice.address, bob.address)],
      signers: [{ signer: alice, accountNumber: 0, sequence: 0 }],
      chainId: CHAIN,
    });
    expect(codeOf(() => decodeTx(Uint8Array.from([0xde, 0xad, 0xbe, 0xef, 0x01, 0x02]), lookupTestMsg))).toMatchObject({
      codespace: 'sdk',
      code: 2,
    });
    for (const cut of [1, 10, tx.bytes.length - 1]) {
      expect(codeOf(() => decodeTx(tx.bytes.subarray(0, cut), lookupTestMsg))).toMatchObject({ codespace: 'sdk', code: 2 });
    }
    expect(codeOf(() => decodeTx(new Uint8Array(), lookupTestMsg)).code).toBe(2);
  });

  it('never throws anything but a ChainError, whatever the bytes', async () => {
    const tx = await signTx({
      msgs: [msgSend(alice.address, bob.address)],
      signers: [{ signer: alice, accountNumber: 0, sequence: 0 }],
      chainId: CHAIN,
    });
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }), fc.nat(tx.bytes.length), fc.nat(255), (random, at, byte) => {
        const mutated = Uint8Array.from(tx.bytes);
        mutated[at % mutated.length] = byte;
        for (const bytes of [random, mutated]) {
          try {
            decodeTx(bytes, lookupTestMsg);
          } catch (err) {
            if (!(err instanceof ChainError)) return false;
          }
        }
        return true;
      }),
      { numRuns: 500 },
    );
  });

  it('rejects an unknown Msg type with ErrUnknownRequest (6) naming the URL', async () => {
    const tx = await signTx({
      msgs: [{ typeUrl: '/cosmos.bank.v1beta1.MsgMultiSend', value: { inputs: [], outputs: [] } }],
      signers: [{ signer: alice, accountNumber: 0, sequence: 0 }],
      chainId: CHAIN,
    });
    const err = codeOf(() => decodeTx(tx.bytes, lookupTestMsg));
    expect(err).toMatchObject({ codespace: 'sdk', code: 6 });
    expect(err.message).toContain('/cosmos.bank.v1beta1.MsgMultiSend');
  });

  it('rejects oversized txs with ErrTxTooLarge (21)', async () => {
    const tx = await signTx({
      msgs: [msgSend(alice.address, bob.address)],
      signers: [{ signer: alice, accountNumber: 0, sequence: 0 }],
      chainId: CHAIN,
    });
    expect(codeOf(() => decodeTx(tx.bytes, lookupTestMsg, tx.bytes.length - 1)).code).toBe(21);
    expect(decodeTx(tx.bytes, lookupTestMsg, tx.bytes.length).signers).toEqual([alice.address]);
  });

  it('rejects extension options (31), no messages (18), unordered txs (18)', () => {
    const any = registry.encodeAsAny(msgSend(alice.address, bob.address));
    const sig = [new Uint8Array(64)];
    expect(
      codeOf(() =>
        decodeTx(
          raw({ messages: [any], extensionOptions: [{ typeUrl: '/x.Ext', value: new Uint8Array() }] }, new Uint8Array(), sig),
          lookupTestMsg,
        ),
      ).code,
    ).toBe(31);
    expect(codeOf(() => decodeTx(raw({ messages: [] }, new Uint8Array(), sig), lookupTestMsg)).code).toBe(18);
    expect(codeOf(() => decodeTx(raw({ messages: [any], unordered: true }, new Uint8Array(), sig), lookupTestMsg)).code).toBe(18);
  });

  it('checks signature counts: none (15), fewer or more than signers (4), signer infos (4)', async () => {
    const tx = await signTx({
      msgs: [msgSend(alice.address, bob.address)],
      signers: [{ signer: alice, accountNumber: 0, sequence: 0 }],
      chainId: CHAIN,
    });
    const withSigs = (signatures: Uint8Array[]) =>
      TxRaw.encode({ bodyBytes: tx.bodyBytes, authInfoBytes: tx.authInfoBytes, signatures }).finish();
    expect(codeOf(() => decodeTx(withSigs([]), lookupTestMsg)).code).toBe(15);
    const two = codeOf(() => decodeTx(withSigs([tx.signatures[0]!, tx.signatures[0]!]), lookupTestMsg));
    expect(two.code).toBe(4);
    expect(two.message).toContain('expected 1, got 2');
    // Two msgs from two signers, one signer info and one signature.
    const body2 = registry.encode({
      typeUrl: '/cosmos.tx.v1beta1.TxBody',
      value: { messages: [msgSend(alice.address, bob.address), msgSend(bob.address, alice.address)] },
    });
    expect(
      codeOf(() =>
        decodeTx(TxRaw.encode({ bodyBytes: body2, authInfoBytes: tx.authInfoBytes, signatures: tx.signatures }).finish(), lookupTestMsg),
      ).code,
    ).toBe(4);
    expect(
      codeOf(() =>
        decodeTx(
          TxRaw.encode({ bodyBytes: body2, authInfoBytes: tx.authInfoBytes, signatures: [tx.signatures[0]!, tx.signatures[0]!] }).finish(),
          lookupTestMsg,
        ),
      ).message,
    ).toContain('signer infos');
  });

  it('refuses unknown fields in TxRaw (hash malleability) and critical unknown fields in the body', async () => {
    const tx = await signTx({
      msgs: [msgSend(alice.address, bob.address)],
      signers: [{ signer: alice, accountNumber: 0, sequence: 0 }],
      chainId: CHAIN,
    });
    const extraRaw = new BinaryWriter();
    extraRaw.uint32((9 << 3) | 0).uint64(1n);
    const padded = new Uint8Array([...tx.bytes, ...extraRaw.finish()]);
    expect(codeOf(() => decodeTx(padded, lookupTestMsg)).message).toContain('unknown field 9');

    const critical = new BinaryWriter();
    critical.uint32((100 << 3) | 2).bytes(Uint8Array.of(1));
    const body = new Uint8Array([...tx.bodyBytes, ...critical.finish()]);
    const withBody = TxRaw.encode({ bodyBytes: body, authInfoBytes: tx.authInfoBytes, signatures: tx.signatures }).finish();
    expect(codeOf(() => decodeTx(withBody, lookupTestMsg)).code).toBe(2);

    const nonCritical = new BinaryWriter();
    nonCritical.uint32((1025 << 3) | 0).uint64(5n);
    const body2 = new Uint8Array([...tx.bodyBytes, ...nonCritical.finish()]);
    const withNonCritical = TxRaw.encode({ bodyBytes: body2, authInfoBytes: tx.authInfoBytes, signatures: tx.signatures }).finish();
    expect(decodeTx(withNonCritical, lookupTestMsg).signers).toEqual([alice.address]);

    const wrongWire = new BinaryWriter();
    wrongWire.uint32((1 << 3) | 0).uint64(3n); // body_bytes as a varint
    expect(codeOf(() => decodeTx(wrongWire.finish(), lookupTestMsg)).message).toContain('wire type');
  });

  it("runs each Msg's validateBasic; a ChainError passes through, a plain Error becomes ErrInvalidRequest", async () => {
    const tx = await signTx({
      msgs: [msgSend(alice.address, bob.address)],
      signers: [{ signer: alice, accountNumber: 0, sequence: 0 }],
      chainId: CHAIN,
    });
    const strict: MsgHandler = {
      ...msgSendHandler,
      validateBasic: () => {
        throw ErrInvalidAddress.wrap('bad recipient');
      },
    };
    expect(codeOf(() => decodeTx(tx.bytes, () => strict))).toMatchObject({ code: 7, message: 'bad recipient: invalid address' });
    const buggy: MsgHandler = {
      ...msgSendHandler,
      validateBasic: () => {
        throw new TypeError('boom');
      },
    };
    expect(codeOf(() => decodeTx(tx.bytes, () => buggy))).toMatchObject({ code: 18 });
    const noSigners: MsgHandler = { ...msgSendHandler, signers: () => [] };
    expect(codeOf(() => decodeTx(tx.bytes, () => noSigners)).code).toBe(18);
  });

  it('rejects a timeout timestamp outside 0001-01-01..9999-12-31 with ErrTxDecode (2), as the SDK decoder does', async () => {
    const tx = await signTx({
      msgs: [msgSend(alice.address, bob.address)],
      signers: [{ signer: alice, accountNumber: 0, sequence: 0 }],
      chainId: CHAIN,
    });
    const any = registry.encodeAsAny(msgSend(alice.address, bob.address));
    const withTimeout = (seconds: bigint, nanos = 0) =>
      raw({ messages: [any], timeoutTimestamp: { seconds, nanos } }, tx.authInfoBytes, tx.signatures);
    for (const [seconds, nanos, text] of [
      [-10_000_000_000_000n, 0, 'before 0001-01-01'],
      [-62_135_596_801n, 0, 'before 0001-01-01'],
      [253_402_300_800n, 0, 'after 9999-12-31'],
      [2n ** 63n - 1n, 0, 'after 9999-12-31'],
      [1n, -1, 'nanos -1'],
      [1n, 1_000_000_000, 'nanos 1000000000'],
    ] as const) {
      const err = codeOf(() => decodeTx(withTimeout(seconds, nanos), lookupTestMsg));
      expect(err).toMatchObject({ codespace: 'sdk', code: 2 });
      expect(err.message).toContain(`timeout_timestamp: `);
      expect(err.message).toContain(text);
    }
    // Both ends of the range decode.
    for (const seconds of [-62_135_596_800n, 253_402_300_799n]) {
      expect(decodeTx(withTimeout(seconds, 999_999_999), lookupTestMsg).body.timeoutTimestamp?.seconds).toBe(seconds);
    }
  });

  it('reports an undecodable Msg value as ErrTxDecode (2)', () => {
    const body = { messages: [{ typeUrl: msgSendHandler.typeUrl, value: Uint8Array.of(0x0a, 0x10, 0x61) }] };
    expect(codeOf(() => decodeTx(raw(body, new Uint8Array(), [new Uint8Array(64)]), lookupTestMsg)).code).toBe(2);
  });
});

describe('decodeTx: unknown fields at every depth, as the SDK rejects them', () => {
  const SUBMIT_PROPOSAL = '/parazone.governance.v1.MsgSubmitProposal';
  const submitProposalHandler: MsgHandler = {
    ...msgSendHandler,
    typeUrl: SUBMIT_PROPOSAL,
    type: MsgSubmitProposal,
    signers: (m: MsgSubmitProposal) => [m.proposer],
  };
  const lookup = (url: string) => (url === SUBMIT_PROPOSAL ? submitProposalHandler : lookupTestMsg(url));

  /** One field the schema does not define: number `field`, a varint, or bytes for wire type 2. */
  function field(number: number, wireType: 0 | 2 = 0): Uint8Array {
    const w = new BinaryWriter().uint32((number << 3) | wireType);
    return (wireType === 0 ? w.uint64(7n) : w.bytes(Uint8Array.of(1, 2))).finish();
  }
  const cat = (...parts: Uint8Array[]): Uint8Array<ArrayBuffer> => Uint8Array.from(parts.flatMap((p) => [...p]));
  const len = (number: number, bytes: Uint8Array) =>
    new BinaryWriter()
      .uint32((number << 3) | 2)
      .bytes(bytes)
      .finish();

  const msgSendBytes = () =>
    MsgSend.encode(
      MsgSend.fromPartial({ fromAddress: alice.address, toAddress: bob.address, amount: [{ denom: 'upara', amount: '1' }] }),
    ).finish();
  const pubKeyAny = (extra: Uint8Array = new Uint8Array()) => ({
    typeUrl: '/cosmos.crypto.secp256k1.PubKey',
    value: cat(PubKey.encode({ key: alice.pubkey }).finish(), extra),
  });
  const modeInfo = () => ModeInfo.encode({ single: { mode: SignMode.SIGN_MODE_DIRECT } }).finish();
  const fee = () => Fee.encode(Fee.fromPartial({ amount: [{ denom: 'upara', amount: '5000' }], gasLimit: 200_000n })).finish();

  /** A SignerInfo (public_key 1, mode_info 2, sequence 3) with extra bytes where asked. */
  function signerInfo(parts: { pubKey?: Uint8Array; modeInfo?: Uint8Array; tail?: Uint8Array } = {}): Uint8Array {
    const any = parts.pubKey ?? Any.encode(pubKeyAny()).finish();
    return cat(
      len(1, any),
      len(2, parts.modeInfo ?? modeInfo()),
      new BinaryWriter().uint32(24).uint64(0n).finish(),
      parts.tail ?? new Uint8Array(),
    );
  }
  /** TxRaw around body bytes (messages as given) and auth info bytes (signer info 1, fee 2, tip 3). */
  function tx(options: {
    msgValue?: Uint8Array;
    msgs?: { typeUrl: string; value: Uint8Array }[];
    bodyTail?: Uint8Array;
    signerInfo?: Uint8Array;
    fee?: Uint8Array;
    authTail?: Uint8Array;
  }): Uint8Array {
    const msgs = options.msgs ?? [{ typeUrl: msgSendHandler.typeUrl, value: options.msgValue ?? msgSendBytes() }];
    const bodyBytes = cat(TxBody.encode(TxBody.fromPartial({ messages: msgs })).finish(), options.bodyTail ?? new Uint8Array());
    const authInfoBytes = cat(
      len(1, options.signerInfo ?? signerInfo()),
      len(2, options.fee ?? fee()),
      options.authTail ?? new Uint8Array(),
    );
    return TxRaw.encode({ bodyBytes, authInfoBytes, signatures: [new Uint8Array(64)] }).finish();
  }
  const refusal = (bytes: Uint8Array) => codeOf(() => decodeTx(bytes, lookup));

  it('accepts the well-formed tx the cases below alter', () => {
    expect(decodeTx(tx({}), lookup).signers).toEqual([alice.address]);
  });

  it('refuses an unknown field inside MsgSend (inside the Any), naming the type and the field', () => {
    const r = refusal(tx({ msgValue: cat(msgSendBytes(), field(9)) }));
    expect(r).toMatchObject({ codespace: 'sdk', code: 2 });
    expect(r.message).toContain('cosmos.bank.v1beta1.MsgSend: unknown field 9');
  });

  it('refuses an unknown field inside a Coin inside MsgSend', () => {
    const coin = cat(Coin.encode({ denom: 'upara', amount: '1' }).finish(), field(3, 2));
    const value = cat(len(1, new TextEncoder().encode(alice.address)), len(2, new TextEncoder().encode(bob.address)), len(3, coin));
    expect(refusal(tx({ msgValue: value })).message).toContain('cosmos.base.v1beta1.Coin: unknown field 3');
  });

  it('refuses an unknown field inside Fee, SignerInfo, ModeInfo and the pubkey Any (AuthInfo is strict)', () => {
    expect(refusal(tx({ fee: cat(fee(), field(7)) })).message).toContain('cosmos.tx.v1beta1.Fee: unknown field 7');
    expect(refusal(tx({ signerInfo: signerInfo({ tail: field(4, 2) }) })).message).toContain(
      'cosmos.tx.v1beta1.SignerInfo: unknown field 4',
    );
    expect(refusal(tx({ signerInfo: signerInfo({ modeInfo: cat(modeInfo(), field(5)) }) })).message).toContain(
      'cosmos.tx.v1beta1.ModeInfo: unknown field 5',
    );
    const single = cat(len(1, cat(new BinaryWriter().uint32(8).int32(1).finish(), field(2))));
    expect(refusal(tx({ signerInfo: signerInfo({ modeInfo: single }) })).message).toContain(
      'cosmos.tx.v1beta1.ModeInfo.Single: unknown field 2',
    );
    const pubKey = Any.encode(pubKeyAny(field(2))).finish();
    expect(refusal(tx({ signerInfo: signerInfo({ pubKey }) })).message).toContain('cosmos.crypto.secp256k1.PubKey: unknown field 2');
    expect(refusal(tx({ signerInfo: signerInfo({ pubKey: cat(Any.encode(pubKeyAny()).finish(), field(3)) }) })).message).toContain(
      'google.protobuf.Any: unknown field 3',
    );
    expect(
      refusal(tx({ authTail: len(3, cat(Tip.encode(Tip.fromPartial({ tipper: alice.address })).finish(), field(9))) })).message,
    ).toContain('cosmos.tx.v1beta1.Tip: unknown field 9');
    expect(refusal(tx({ authTail: field(4) })).message).toContain('cosmos.tx.v1beta1.AuthInfo: unknown field 4');
  });

  it('refuses an Any whose type URL names no known message (a pubkey, a proposal Msg)', () => {
    const pubKey = Any.encode({ typeUrl: '/cosmos.crypto.nope.PubKey', value: PubKey.encode({ key: alice.pubkey }).finish() }).finish();
    expect(refusal(tx({ signerInfo: signerInfo({ pubKey }) }))).toMatchObject({
      code: 2,
      message: expect.stringContaining('unable to resolve type URL "/cosmos.crypto.nope.PubKey"'),
    });
  });

  it('refuses an unknown field inside a Msg nested in a governance proposal, and in a multisig pubkey', () => {
    const proposal = (inner: Uint8Array, typeUrl = msgSendHandler.typeUrl) =>
      MsgSubmitProposal.encode(
        MsgSubmitProposal.fromPartial({
          messages: [{ typeUrl, value: Buffer.from(inner) }],
          proposer: alice.address,
          title: 't',
          summary: 's',
        }),
      ).finish();
    expect(decodeTx(tx({ msgs: [{ typeUrl: SUBMIT_PROPOSAL, value: proposal(msgSendBytes()) }] }), lookup).signers).toEqual([
      alice.address,
    ]);
    const bad = refusal(tx({ msgs: [{ typeUrl: SUBMIT_PROPOSAL, value: proposal(cat(msgSendBytes(), field(11, 2))) }] }));
    expect(bad).toMatchObject({ code: 2, message: expect.stringContaining('cosmos.bank.v1beta1.MsgSend: unknown field 11') });
    expect(refusal(tx({ msgs: [{ typeUrl: SUBMIT_PROPOSAL, value: proposal(msgSendBytes(), '/no.such.Msg') }] })).message).toContain(
      'unable to resolve type URL "/no.such.Msg"',
    );

    const multisig = LegacyAminoPubKey.encode({ threshold: 1, publicKeys: [pubKeyAny(field(5))] }).finish();
    const pubKey = Any.encode({ typeUrl: '/cosmos.crypto.multisig.LegacyAminoPubKey', value: multisig }).finish();
    expect(refusal(tx({ signerInfo: signerInfo({ pubKey }) })).message).toContain('cosmos.crypto.secp256k1.PubKey: unknown field 5');
  });

  it('allows non-critical fields (bit 11 set) in the body and the Msgs inside it, nowhere else', () => {
    expect(decodeTx(tx({ msgValue: cat(msgSendBytes(), field(1025)) }), lookup).signers).toEqual([alice.address]);
    expect(decodeTx(tx({ bodyTail: field(1030, 2) }), lookup).signers).toEqual([alice.address]);
    expect(refusal(tx({ msgValue: cat(msgSendBytes(), field(1023)) })).message).toContain('unknown field 1023');
    expect(refusal(tx({ fee: cat(fee(), field(1025)) })).message).toContain('cosmos.tx.v1beta1.Fee: unknown field 1025');
    expect(refusal(tx({ authTail: field(2049) })).message).toContain('cosmos.tx.v1beta1.AuthInfo: unknown field 2049');
    expect(refusal(cat(tx({}), field(1025))).message).toContain('cosmos.tx.v1beta1.TxRaw: unknown field 1025');
  });

  it('refuses known fields with the wrong wire type, nested too', () => {
    const fromAsVarint = cat(
      new BinaryWriter()
        .uint32((1 << 3) | 0)
        .uint64(5n)
        .finish(),
      msgSendBytes(),
    );
    expect(refusal(tx({ msgValue: fromAsVarint })).message).toContain(
      'cosmos.bank.v1beta1.MsgSend: field 1 (from_address) has wire type varint, expected bytes',
    );
    const gasAsBytes = cat(fee(), len(2, Uint8Array.of(1)));
    expect(refusal(tx({ fee: gasAsBytes })).message).toContain(
      'cosmos.tx.v1beta1.Fee: field 2 (gas_limit) has wire type bytes, expected varint',
    );
    const fixed = cat(
      fee(),
      new BinaryWriter()
        .uint32((3 << 3) | 5)
        .fixed32(1)
        .finish(),
    );
    expect(refusal(tx({ fee: fixed })).message).toContain('field 3 (payer) has wire type fixed32');
    const group = Uint8Array.of((9 << 3) | 3);
    expect(refusal(tx({ fee: cat(fee(), group) })).code).toBe(2);
  });

  it('knows the schema of every Msg the default chain registers', () => {
    const router = new Router(composeChain().modules);
    const missing = router.msgTypeUrls.filter((url) => !router.schemas.resolveTypeUrl(url));
    expect(router.msgTypeUrls.length).toBeGreaterThan(20);
    expect(missing).toEqual([]);
  });
});
