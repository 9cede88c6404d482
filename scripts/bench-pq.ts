/**
 * Post-quantum signatures against secp256k1 on this machine: sign and verify per second for
 * ML-DSA-44, ML-DSA-65 (@noble/post-quantum) and secp256k1 (native libsecp256k1), each over the
 * SignDoc of a real MsgSend tx, plus key, signature and tx sizes and the gas a signature costs.
 *
 * Timed in process CPU time (the machine is shared; wall time is also recorded), as the median of
 * several rounds. The verify-time ratio to secp256k1 is what sig_verify_cost_ml_dsa_44/65 scale
 * sig_verify_cost_secp256k1 by. Writes bench/results/pq.json.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import secp256k1 from 'secp256k1';
import { MsgSend } from 'cosmjs-types/cosmos/bank/v1beta1/tx';
import { TxRaw } from 'cosmjs-types/cosmos/tx/v1beta1/tx';
import { verifyDirect, type KeyAlgo } from '../app/crypto/account-keys.js';
import { ML_DSA_SIZES, mlDsaKeyPair, signMlDsa, type MlDsaLevel } from '../app/crypto/mldsa.js';
import { MlDsaDirectSigner, signMlDsaTx } from '../app/crypto/mldsa-signer.js';
import { sha256 } from '../app/crypto/secp256k1.js';
import { makeSignDocBytes } from '../app/crypto/sign-doc.js';
import { makeChainConfig } from '../app/types/chain-config.js';
import { defaultParams } from '../modules/auth/params.js';
import { makeAccounts, signedTransfer } from './lib/signed-transfers.js';

const ROUNDS = 5;
const chainId = 'bench-pq';
const config = makeChainConfig();
const params = defaultParams();
const loadAtStart = os.loadavg().map((x) => +x.toFixed(2));

/** Median per-op CPU and wall microseconds of `fn` run `n` times per round. */
function time(n: number, fn: () => void): { cpuUs: number; wallUs: number } {
  const cpu: number[] = [];
  const wall: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    const c0 = process.cpuUsage();
    const w0 = performance.now();
    for (let i = 0; i < n; i++) fn();
    const c = process.cpuUsage(c0);
    wall.push(((performance.now() - w0) * 1000) / n);
    cpu.push((c.user + c.system) / n);
  }
  const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  return { cpuUs: +median(cpu).toFixed(1), wallUs: +median(wall).toFixed(1) };
}

interface Row {
  algo: KeyAlgo;
  publicKeyBytes: number;
  signatureBytes: number;
  txBytes: number;
  sign: { cpuUs: number; wallUs: number; perSecond: number };
  verify: { cpuUs: number; wallUs: number; perSecond: number };
  verifyCostRatio?: number;
  gas: { txSize: number; verify: number; suggestedVerify?: number };
}

const to = makeAccounts(2, config.addresses)[1]!.address;
const rows: Row[] = [];

// secp256k1: the cosmjs path (sha256 of the SignDoc, low-S compact signature).
{
  const [account] = makeAccounts(1, config.addresses);
  const tx = TxRaw.decode(signedTransfer(account!, to, { chainId, denom: 'upara', amount: '1' }));
  const doc = makeSignDocBytes(tx.bodyBytes, tx.authInfoBytes, chainId, 0n);
  const signature = tx.signatures[0]!;
  const pubkey = { algo: 'secp256k1' as const, key: account!.pubkey };
  if (!verifyDirect(pubkey, doc, signature)) throw new Error('secp256k1 self-check failed');
  const sign = time(2000, () => secp256k1.ecdsaSign(sha256(doc), account!.privateKey));
  const verify = time(4000, () => verifyDirect(pubkey, doc, signature));
  const txBytes = TxRaw.encode(tx).finish().length;
  rows.push({
    algo: 'secp256k1',
    publicKeyBytes: 33,
    signatureBytes: 64,
    txBytes,
    sign: { ...sign, perSecond: Math.round(1e6 / sign.cpuUs) },
    verify: { ...verify, perSecond: Math.round(1e6 / verify.cpuUs) },
    gas: { txSize: txBytes * Number(params.txSizeCostPerByte), verify: Number(params.sigVerifyCostSecp256k1) },
  });
}

for (const level of ['ml-dsa-44', 'ml-dsa-65'] as MlDsaLevel[]) {
  const signer = MlDsaDirectSigner.fromSeed(level, createHash('sha256').update(level).digest());
  const value = MsgSend.fromPartial({ fromAddress: signer.address, toAddress: to, amount: [{ denom: 'upara', amount: '1' }] });
  const bytes = await signMlDsaTx(
    { getChainId: async () => chainId, getAccount: async () => null },
    signer,
    [{ typeUrl: '/cosmos.bank.v1beta1.MsgSend', value }],
    { amount: [{ denom: 'upara', amount: '5000' }], gas: '200000' },
    { signerData: { accountNumber: 0, sequence: 0, chainId } },
  );
  const tx = TxRaw.decode(bytes);
  const doc = makeSignDocBytes(tx.bodyBytes, tx.authInfoBytes, chainId, 0n);
  const pubkey = { algo: level, key: signer.publicKey };
  const signature = tx.signatures[0]!;
  if (!verifyDirect(pubkey, doc, signature)) throw new Error(`${level} self-check failed`);
  const { secretKey } = mlDsaKeyPair(level, createHash('sha256').update(level).digest());
  const sign = time(40, () => signMlDsa(level, secretKey, doc));
  const verify = time(80, () => verifyDirect(pubkey, doc, signature));
  const ratio = +(verify.cpuUs / rows[0]!.verify.cpuUs).toFixed(1);
  rows.push({
    algo: level,
    publicKeyBytes: ML_DSA_SIZES[level].publicKey,
    signatureBytes: ML_DSA_SIZES[level].signature,
    txBytes: bytes.length,
    sign: { ...sign, perSecond: Math.round(1e6 / sign.cpuUs) },
    verify: { ...verify, perSecond: Math.round(1e6 / verify.cpuUs) },
    verifyCostRatio: ratio,
    gas: {
      txSize: bytes.length * Number(params.txSizeCostPerByte),
      verify: Number(level === 'ml-dsa-44' ? params.sigVerifyCostMlDsa44 : params.sigVerifyCostMlDsa65),
      suggestedVerify: Math.ceil((ratio * Number(params.sigVerifyCostSecp256k1)) / 1000) * 1000,
    },
  });
}

for (const r of rows) {
  console.log(
    `${r.algo.padEnd(10)} sign ${String(r.sign.perSecond).padStart(6)}/s  verify ${String(r.verify.perSecond).padStart(6)}/s  ` +
      `pubkey ${r.publicKeyBytes} B  sig ${r.signatureBytes} B  tx ${r.txBytes} B  gas: size ${r.gas.txSize} + verify ${r.gas.verify}` +
      (r.verifyCostRatio ? `  (verify ${r.verifyCostRatio}x secp256k1 → suggested ${r.gas.suggestedVerify})` : ''),
  );
}

mkdirSync('bench/results', { recursive: true });
writeFileSync(
  'bench/results/pq.json',
  JSON.stringify(
    {
      what: 'sign/verify per second (process CPU time, median of rounds) over a MsgSend SignDoc; sizes; gas per signature',
      rounds: ROUNDS,
      results: rows,
      machine: {
        cpus: os.cpus().length,
        model: os.cpus()[0]?.model,
        node: process.version,
        loadAverageAtStart: loadAtStart,
        loadAverageAtEnd: os.loadavg().map((x) => +x.toFixed(2)),
      },
    },
    null,
    2,
  ) + '\n',
);
console.log('wrote bench/results/pq.json');
