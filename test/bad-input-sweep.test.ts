/**
 * Every registered Msg type and every query path of the composed chain, fed malformed, truncated,
 * random and boundary-value bytes in process against BaseApp over a real LMDB store: through
 * CheckTx (signed and unsigned), Simulate, FinalizeBlock and Query (module paths and raw
 * `/store/...` keys, with and without proofs, at the latest and a past height).
 *
 * What must hold: no answer is ErrPanic (111222); every code is a registered (codespace, code);
 * queries, CheckTx and Simulate leave the committed state alone; in a block, a rejected tx changes
 * nothing beyond what a failing tx legitimately pays (its fee and sequence); blocks keep coming.
 * The lists come from the chain's router and modules, so a new module is swept without edits here.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MsgSend } from 'cosmjs-types/cosmos/bank/v1beta1/tx';
import { PubKey } from 'cosmjs-types/cosmos/crypto/secp256k1/keys';
import { SignMode } from 'cosmjs-types/cosmos/tx/signing/v1beta1/signing';
import { SimulateRequest } from 'cosmjs-types/cosmos/tx/v1beta1/service';
import { AuthInfo, TxBody, TxRaw } from 'cosmjs-types/cosmos/tx/v1beta1/tx';
import { composeChain } from '../app/app.js';
import { BaseApp } from '../app/baseapp/baseapp.js';
import { Prng } from '../app/exec/prng.js';
import { signTx } from '../app/loadgen/txs.js';
import { addGenesisAccount, defaultAppState } from '../app/node/genesis.js';
import { CommitStore } from '../app/store/commit-store.js';
import { MAX_KEY_BYTES } from '../app/store/types.js';
import { ErrPanic, isRegisteredError } from '../app/types/errors.js';
import { makeAccounts, type BenchAccount } from '../scripts/lib/signed-transfers.js';
import { finalizeRequest, INFO_REQUEST, initChainRequest } from './harness.js';

const CHAIN_ID = 'sweep';
const DENOM = 'upara';
const SEED = 20_260_112;
const SIMULATE_PATH = '/cosmos.tx.v1beta1.Service/Simulate';
const FEE = { feeAmount: '100000', gasLimit: 4_000_000n };

// ───────────────────────── protobuf wire building blocks ─────────────────────────

const VARINT = 0;
const FIXED64 = 1;
const LEN = 2;
const START_GROUP = 3;
const FIXED32 = 5;

function varint(value: bigint): number[] {
  let v = BigInt.asUintN(64, value);
  const out: number[] = [];
  while (v >= 0x80n) {
    out.push(Number(v & 0x7fn) | 0x80);
    v >>= 7n;
  }
  out.push(Number(v));
  return out;
}
const tag = (field: number, wire: number) => varint(BigInt(field * 8 + wire));
const concat = (...parts: (number[] | Uint8Array)[]) => Uint8Array.from(parts.flatMap((p) => [...p]));
const lenField = (field: number, bytes: Uint8Array | number[]) => concat(tag(field, LEN), varint(BigInt(bytes.length)), bytes);
const varintField = (field: number, value: bigint) => concat(tag(field, VARINT), varint(value));
const utf8 = (s: string) => new TextEncoder().encode(s);

const U64_MAX = 2n ** 64n - 1n;
const I64_MIN = -(2n ** 63n);
const BOUNDARY_INTEGERS = [0n, 1n, 2n ** 31n, 2n ** 32n - 1n, 2n ** 53n + 1n, 2n ** 63n - 1n, U64_MAX, -1n, I64_MIN, -(10n ** 13n)];

/** google.protobuf.Timestamp{seconds, nanos} bytes. */
const timestamp = (seconds: bigint, nanos = 0n) => concat(varintField(1, seconds), varintField(2, nanos));

/** Values for a length-delimited field: strings, addresses, numbers as text, nested messages, nesting. */
function lenPayloads(addresses: readonly string[]): Uint8Array[] {
  const coin = (denom: string, amount: string) => concat(lenField(1, utf8(denom)), lenField(2, utf8(amount)));
  let deep: Uint8Array = varintField(1, U64_MAX);
  for (let i = 0; i < 400; i++) deep = lenField(1, deep);
  return [
    new Uint8Array(),
    ...addresses.map(utf8),
    utf8(DENOM),
    utf8('-1'),
    utf8('0'),
    utf8(U64_MAX.toString()),
    utf8('9'.repeat(400)),
    utf8('1e400'),
    utf8('x'.repeat(MAX_KEY_BYTES + 1)),
    utf8('y'.repeat(5_000)),
    Uint8Array.of(0xff, 0xfe, 0xc0, 0x80),
    utf8('ibc/' + 'A'.repeat(64)),
    coin(DENOM, '1'),
    coin(DENOM, '-5'),
    coin(DENOM, '9'.repeat(200)),
    coin('x'.repeat(3000), '1'),
    timestamp(-(10n ** 13n)),
    timestamp(2n ** 63n - 1n, 999_999_999n),
    timestamp(0n, U64_MAX),
    concat(...[1, 2, 3, 4, 5].map((f) => varintField(f, U64_MAX))),
    concat(
      lenField(1, new Uint8Array(MAX_KEY_BYTES + 50)),
      varintField(2, U64_MAX),
      varintField(3, U64_MAX),
      varintField(4, 1n),
      varintField(5, 1n),
    ),
    deep,
  ];
}

/**
 * Malformed, truncated, random and boundary-value encodings of "some message": schema-blind, so
 * they fit every request and Msg type; `signer` (when given) fills every string field in a few of
 * them, so signed txs get past the signer check into the handlers.
 */
function malformedMessages(prng: Prng, addresses: readonly string[], signer?: string): Uint8Array[] {
  const lens = lenPayloads(addresses);
  const field = (): Uint8Array => {
    const number = 1 + prng.int(8);
    switch (prng.int(5)) {
      case 0:
        return varintField(number, BOUNDARY_INTEGERS[prng.int(BOUNDARY_INTEGERS.length)]!);
      case 1:
        return concat(tag(number, FIXED64), new Array(8).fill(0xff));
      case 2:
        return concat(tag(number, FIXED32), new Array(4).fill(0xff));
      default:
        return lenField(number, lens[prng.int(lens.length)]!);
    }
  };
  const randomMessage = () => concat(...Array.from({ length: 1 + prng.int(5) }, field));
  const out: Uint8Array[] = [
    new Uint8Array(),
    Uint8Array.of(0xff),
    Uint8Array.of(0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f), // field 1 claims 4 GiB
    concat(tag(1, LEN), varint(U64_MAX)), // field 1 claims 2^64 - 1 bytes
    concat(tag(1, VARINT), new Array(11).fill(0xff)), // an 11-byte varint
    concat(tag(1, 6)), // wire type 6 does not exist
    new Uint8Array(5_000).fill(tag(1, START_GROUP)[0]!), // 5,000 nested groups
    concat(tag(1, 4)), // an end group with no start
    lens[lens.length - 1]!, // 400 nested messages
  ];
  for (let i = 0; i < 8; i++) out.push(Uint8Array.from({ length: 1 + prng.int(80) }, () => prng.int(256)));
  for (let i = 0; i < 10; i++) out.push(randomMessage());
  for (let i = 0; i < 6; i++) {
    const whole = randomMessage();
    out.push(whole.subarray(0, prng.int(whole.length)));
  }
  for (const value of BOUNDARY_INTEGERS) out.push(concat(...[1, 2, 3, 4, 5, 6].map((f) => varintField(f, value))));
  if (signer) {
    const s = utf8(signer);
    out.push(concat(...[1, 2, 3, 4, 5, 6].map((f) => lenField(f, s))));
    for (let i = 0; i < 6; i++) {
      out.push(concat(lenField(1, s), ...Array.from({ length: 1 + prng.int(4) }, field)));
      out.push(concat(...[1, 2, 3, 4].map((f) => (prng.int(2) === 0 ? lenField(f, s) : field()))));
    }
  }
  return out;
}

// ───────────────────────── the chain ─────────────────────────

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

interface Answer {
  readonly code: number;
  readonly codespace: string;
  readonly log: string;
}

/** Collects every answer that breaks the rule, so a failure lists them all (with what caused them). */
class Verdicts {
  readonly bad: string[] = [];
  count = 0;
  check(where: string, answer: Answer): void {
    this.count++;
    if (answer.code === 0) return;
    if (answer.code === ErrPanic.code || !isRegisteredError(answer.codespace, answer.code)) {
      if (this.bad.length < 40) this.bad.push(`${where}: ${answer.codespace}/${answer.code} ${answer.log.slice(0, 200)}`);
    }
  }
}

function openChain(accounts: number) {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'parazone-sweep-'));
  dirs.push(home);
  const store = CommitStore.open(home, { noSync: true });
  const chain = composeChain();
  const app = new BaseApp({ ...chain, store });
  const signers = makeAccounts(accounts, chain.config.addresses);
  let appState = defaultAppState(chain);
  for (const s of signers) appState = addGenesisAccount(appState, s.address, [{ denom: DENOM, amount: '1000000000000' }]);
  app.initChain(initChainRequest(CHAIN_ID, appState));
  let height = 0;
  const commitBlock = (txs: Uint8Array[] = []) => {
    const res = app.finalizeBlock(finalizeRequest(++height, txs));
    app.commit();
    return res;
  };
  commitBlock();
  commitBlock();
  return {
    app,
    chain,
    store,
    signers,
    commitBlock,
    get height() {
      return height;
    },
    set height(h: number) {
      height = h;
    },
  };
}

/** Every key and value of the latest committed state, and the last app hash. */
function committedState(store: CommitStore, app: BaseApp): string {
  const entries = [...store.latest().iterator(undefined, undefined)].map(
    (p) => `${Buffer.from(p.key).toString('hex')}=${Buffer.from(p.value).toString('hex')}`,
  );
  return `${Buffer.from(app.info(INFO_REQUEST).lastBlockAppHash).toString('hex')}\n${entries.join('\n')}`;
}

/** A tx carrying `value` as a Msg of `typeUrl`, with a zero signature: what anyone can send. */
function unsignedTx(typeUrl: string, value: Uint8Array, from: BenchAccount): Uint8Array {
  const bodyBytes = TxBody.encode(TxBody.fromPartial({ messages: [{ typeUrl, value }] })).finish();
  const authInfoBytes = AuthInfo.encode(
    AuthInfo.fromPartial({
      signerInfos: [
        {
          publicKey: { typeUrl: '/cosmos.crypto.secp256k1.PubKey', value: PubKey.encode({ key: from.pubkey }).finish() },
          modeInfo: { single: { mode: SignMode.SIGN_MODE_DIRECT } },
          sequence: from.sequence,
        },
      ],
      fee: { amount: [{ denom: DENOM, amount: FEE.feeAmount }], gasLimit: FEE.gasLimit },
    }),
  ).finish();
  return TxRaw.encode({ bodyBytes, authInfoBytes, signatures: [new Uint8Array(64)] }).finish();
}

const signed = (from: BenchAccount, messages: { typeUrl: string; value: Uint8Array }[], extra: { memo?: string } = {}) =>
  signTx(from, messages, { chainId: CHAIN_ID, denom: DENOM, accountNumber: from.accountNumber, sequence: from.sequence, ...FEE, ...extra });

describe('no input reaches ErrPanic (111222); rejected input changes nothing', () => {
  const setup = openChain(48);
  const { app, chain, store, signers } = setup;
  const addresses = [signers[0]!.address, signers[1]!.address, 'para1qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqq', 'cosmos1xyz'];
  const msgTypes = app.router.msgTypeUrls;
  const queryPaths = app.router.queryPaths;
  const storeNames = chain.modules.flatMap((m) => (m.storeKey ? [m.storeKey.name] : []));

  it('enumerates the chain itself: every Msg type, query path and store', () => {
    expect(msgTypes.length).toBeGreaterThan(40);
    expect(queryPaths).toContain(SIMULATE_PATH);
    expect(queryPaths.length).toBeGreaterThan(60);
    expect(storeNames.length).toBe(chain.modules.filter((m) => m.storeKey).length);
  });

  it('queries: every path with malformed request data, at the latest and a past height', () => {
    const before = committedState(store, app);
    const verdicts = new Verdicts();
    const prng = new Prng(SEED);
    for (const path of queryPaths) {
      malformedMessages(prng, addresses).forEach((data, i) => {
        // Every case at the latest height, every third one at a past height too.
        for (const height of i % 3 === 0 ? [0n, 1n] : [0n]) {
          verdicts.check(
            `${path} @${height} ${Buffer.from(data.subarray(0, 24)).toString('hex')}`,
            app.query({ path, data, height, prove: height === 1n }),
          );
        }
      });
    }
    for (const height of [-1n, 2n ** 63n - 1n, U64_MAX])
      verdicts.check(`height ${height}`, app.query({ path: queryPaths[0]!, data: new Uint8Array(), height, prove: false }));
    verdicts.check('unknown path', app.query({ path: '/no.such.v1.Query/Thing', data: Uint8Array.of(0xff), height: 0n, prove: false }));
    expect(verdicts.bad).toEqual([]);
    expect(verdicts.count).toBeGreaterThan(queryPaths.length * 40);
    expect(committedState(store, app)).toBe(before);
  });

  it('raw store queries: every store, keys from empty to over the limit, proofs on and off, latest and past heights', () => {
    const before = committedState(store, app);
    const verdicts = new Verdicts();
    const prng = new Prng(SEED + 1);
    const keys = [
      new Uint8Array(),
      Uint8Array.of(0xff),
      Uint8Array.of(0),
      new Uint8Array(MAX_KEY_BYTES - 20),
      new Uint8Array(MAX_KEY_BYTES),
      new Uint8Array(2013).fill(0xff),
      new Uint8Array(100_000),
    ];
    for (let i = 0; i < 6; i++) keys.push(Uint8Array.from({ length: prng.int(64) }, () => prng.int(256)));
    for (const name of [...storeNames, 'nope']) {
      for (const key of keys) {
        for (const height of [0n, 1n, 2n]) {
          for (const prove of [false, true]) {
            const answer = app.query({ path: `/store/${name}/key`, data: key, height, prove });
            verdicts.check(`/store/${name}/key (${key.length} bytes) @${height} prove=${prove}`, answer);
          }
        }
      }
    }
    expect(verdicts.bad).toEqual([]);
    expect(committedState(store, app)).toBe(before);
  });

  it('CheckTx and Simulate: every Msg type, malformed values, unsigned and signed', () => {
    const before = committedState(store, app);
    const verdicts = new Verdicts();
    const prng = new Prng(SEED + 2);
    const from = signers[0]!;
    for (const typeUrl of msgTypes) {
      for (const value of malformedMessages(prng, addresses, from.address)) {
        const txs = { unsigned: unsignedTx(typeUrl, value, from), signed: signed(from, [{ typeUrl, value }]) };
        for (const [kind, tx] of Object.entries(txs)) {
          const where = `${typeUrl} ${kind} ${Buffer.from(value.subarray(0, 24)).toString('hex')}`;
          verdicts.check(`CheckTx ${where}`, app.checkTx({ tx, type: 0 }));
          verdicts.check(
            `Simulate ${where}`,
            app.query({ path: SIMULATE_PATH, data: SimulateRequest.encode({ txBytes: tx }).finish(), height: 0n, prove: false }),
          );
        }
      }
    }
    expect(verdicts.bad).toEqual([]);
    expect(committedState(store, app)).toBe(before);
  });

  it('CheckTx, Simulate and FinalizeBlock: malformed txs around a valid one (truncations, boundary fields)', () => {
    const verdicts = new Verdicts();
    const from = signers[1]!;
    const send = {
      typeUrl: '/cosmos.bank.v1beta1.MsgSend',
      value: MsgSend.encode(
        MsgSend.fromPartial({ fromAddress: from.address, toAddress: signers[2]!.address, amount: [{ denom: DENOM, amount: '1' }] }),
      ).finish(),
    };
    const valid = signed(from, [send]);
    const raw = TxRaw.decode(valid);
    const body = TxBody.decode(raw.bodyBytes);
    const withBody = (patch: Partial<TxBody>) =>
      TxRaw.encode({ ...raw, bodyBytes: TxBody.encode({ ...body, ...patch }).finish() }).finish();
    const withAuth = (patch: (a: AuthInfo) => void) => {
      const copy = AuthInfo.decode(raw.authInfoBytes);
      patch(copy);
      return TxRaw.encode({ ...raw, authInfoBytes: AuthInfo.encode(copy).finish() }).finish();
    };
    const txs: Uint8Array[] = [];
    for (let cut = 0; cut < valid.length; cut += 3) txs.push(valid.subarray(0, cut));
    for (const seconds of [-(10n ** 13n), -62_135_596_801n, 253_402_300_800n, 2n ** 63n - 1n, I64_MIN])
      txs.push(withBody({ timeoutTimestamp: { seconds, nanos: 0 } }));
    txs.push(withBody({ timeoutTimestamp: { seconds: 1n, nanos: -1 } }));
    txs.push(
      withBody({ timeoutHeight: U64_MAX }),
      withBody({ memo: 'm'.repeat(100_000) }),
      withBody({ messages: Array.from({ length: 2000 }, () => body.messages[0]!) }),
    );
    txs.push(
      withAuth((a) => (a.fee!.gasLimit = U64_MAX)),
      withAuth((a) => (a.fee!.amount = [{ denom: DENOM, amount: '9'.repeat(300) }])),
    );
    txs.push(
      withAuth((a) => (a.fee!.amount = [{ denom: DENOM, amount: '-1' }])),
      withAuth((a) => (a.signerInfos[0]!.sequence = U64_MAX)),
    );
    txs.push(withAuth((a) => (a.signerInfos[0]!.publicKey = { typeUrl: '/cosmos.crypto.secp256k1.PubKey', value: new Uint8Array(300) })));
    txs.push(withAuth((a) => (a.fee!.amount = [{ denom: 'x'.repeat(MAX_KEY_BYTES + 10), amount: '1' }])));
    txs.push(TxRaw.encode({ ...raw, signatures: [new Uint8Array(100_000)] }).finish());
    for (const tx of txs) {
      const where = Buffer.from(tx.subarray(0, 24)).toString('hex');
      verdicts.check(`CheckTx ${where}`, app.checkTx({ tx, type: 0 }));
      verdicts.check(
        `Simulate ${where}`,
        app.query({ path: SIMULATE_PATH, data: SimulateRequest.encode({ txBytes: tx }).finish(), height: 0n, prove: false }),
      );
    }
    // None of them pays, so the block's state is the empty block's.
    const height = setup.height + 1;
    const empty = app.finalizeBlock(finalizeRequest(height));
    const bad = app.finalizeBlock(finalizeRequest(height, txs));
    bad.txResults.forEach((r, i) => verdicts.check(`FinalizeBlock tx ${i}`, r));
    expect(bad.txResults.every((r) => r.code !== 0)).toBe(true);
    expect(Buffer.from(bad.appHash).toString('hex')).toBe(Buffer.from(empty.appHash).toString('hex'));
    app.commit();
    setup.height = height;
    expect(verdicts.bad).toEqual([]);
  });

  it('FinalizeBlock: every Msg type, malformed values, unsigned and signed; a failing tx pays its fee and nothing else', () => {
    const verdicts = new Verdicts();
    const prng = new Prng(SEED + 3);
    const failures: string[] = [];
    for (const typeUrl of msgTypes) {
      // Unsigned: nothing of them may land.
      const unsigned = malformedMessages(prng, addresses, signers[0]!.address).map((value) => unsignedTx(typeUrl, value, signers[0]!));
      const height = setup.height + 1;
      const empty = app.finalizeBlock(finalizeRequest(height));
      const res = app.finalizeBlock(finalizeRequest(height, unsigned));
      res.txResults.forEach((r, i) => verdicts.check(`FinalizeBlock ${typeUrl} unsigned ${i}`, r));
      if (Buffer.compare(res.appHash, empty.appHash) !== 0) failures.push(`${typeUrl}: unsigned txs changed the state`);
      app.commit();
      setup.height = height;

      // Signed, one tx per account (so sequences do not depend on each other). Each rejected one
      // is compared with a tx that is known to fail in its Msg (the fee is paid, the sequence
      // moves) or with no tx at all, when it failed before its Msgs ran.
      const values = malformedMessages(prng, addresses, signers[0]!.address);
      for (let start = 0; start < values.length; start += signers.length) {
        const batch = values.slice(start, start + signers.length);
        const fuzzed = batch.map((value, i) => {
          const signer = signers[i]!;
          const patched = Buffer.from(value).toString('latin1').split(signers[0]!.address).join(signer.address);
          return signed(signer, [{ typeUrl, value: Uint8Array.from(Buffer.from(patched, 'latin1')) }]);
        });
        const h = setup.height + 1;
        const first = app.finalizeBlock(finalizeRequest(h, fuzzed));
        const reference: Uint8Array[] = [];
        first.txResults.forEach((r, i) => {
          verdicts.check(`FinalizeBlock ${typeUrl} signed ${start + i}`, r);
          const signer = signers[i]!;
          if (r.code === 0) {
            reference.push(fuzzed[i]!);
          } else if (r.log.startsWith('failed to execute message')) {
            const overdraw = MsgSend.fromPartial({
              fromAddress: signer.address,
              toAddress: signers[(i + 1) % signers.length]!.address,
              amount: [{ denom: DENOM, amount: '1'.padEnd(30, '0') }],
            });
            reference.push(signed(signer, [{ typeUrl: '/cosmos.bank.v1beta1.MsgSend', value: MsgSend.encode(overdraw).finish() }]));
          }
        });
        const second = app.finalizeBlock(finalizeRequest(h, reference));
        if (Buffer.compare(first.appHash, second.appHash) !== 0)
          failures.push(`${typeUrl}: signed batch at ${start} changed more than fees and sequences`);
        // Commit the reference run (same state, if the check passed); count the sequences it used.
        first.txResults.forEach((r, i) => {
          if (r.code === 0 || r.log.startsWith('failed to execute message')) signers[i]!.sequence += 1n;
        });
        app.commit();
        setup.height = h;
      }
    }
    expect(verdicts.bad).toEqual([]);
    expect(failures).toEqual([]);
  });

  it('keeps making blocks with valid txs afterwards, and the invariants hold', () => {
    const from = signers[3]!;
    const send = MsgSend.fromPartial({
      fromAddress: from.address,
      toAddress: signers[4]!.address,
      amount: [{ denom: DENOM, amount: '7' }],
    });
    const tx = signed(from, [{ typeUrl: '/cosmos.bank.v1beta1.MsgSend', value: MsgSend.encode(send).finish() }]);
    setup.height += 1;
    const res = app.finalizeBlock(finalizeRequest(setup.height, [tx]));
    app.commit();
    expect(res.txResults.map((r) => r.code)).toEqual([0]);
    expect(app.lastCommittedHeight).toBe(setup.height);
    expect(app.checkInvariants()).toEqual([]);
  });
});
