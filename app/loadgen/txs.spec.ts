import { createHash } from 'node:crypto';
import secp256k1 from 'secp256k1';
import { MsgSend } from 'cosmjs-types/cosmos/bank/v1beta1/tx';
import { AuthInfo, TxBody, TxRaw } from 'cosmjs-types/cosmos/tx/v1beta1/tx';
import { makeSignDocBytes } from '../crypto/sign-doc.js';
import { makeChainConfig } from '../types/chain-config.js';
import { planTxs, type TxPlan } from './plan.js';
import { signSlice } from './sign-slice.js';
import { MsgShip } from '../../generated/parazone/drugregistry/v1/tx.js';
import { drugSerial, DRUG_GTIN } from './drug-genesis.js';
import { sampleTxBytes } from './run.js';
import { kvstoreTx, loadAccount, signShip, signTransfer, txHash } from './txs.js';

const { addresses } = makeChainConfig();

/** Signs a whole plan as one slice (seed "s"); account i has account number i. */
function signPlan(plan: TxPlan, startSequences: BigInt64Array) {
  const accountNumbers = BigInt64Array.from(startSequences, (_, i) => BigInt(i));
  const { workload, from, to, round } = plan;
  return signSlice(
    {
      workload,
      seed: 's',
      prefix: 'para',
      chainId: 'c',
      denom: 'upara',
      feeAmount: '5000',
      gasLimit: '200000',
      accountNumbers,
      startSequences,
      from,
      to,
      round,
    },
    addresses,
  );
}

describe('loadgen txs', () => {
  it('signs a MsgSend whose signature verifies over the SIGN_MODE_DIRECT sign doc', () => {
    const from = loadAccount('t', 0, addresses);
    const to = loadAccount('t', 1, addresses).address;
    const tx = TxRaw.decode(signTransfer(from, { chainId: 'c-1', denom: 'upara', accountNumber: 4n, sequence: 9n, to }));
    const body = TxBody.decode(tx.bodyBytes);
    expect(MsgSend.decode(body.messages[0]!.value)).toMatchObject({ fromAddress: from.address, toAddress: to });
    expect(AuthInfo.decode(tx.authInfoBytes).signerInfos[0]!.sequence).toBe(9n);
    const digest = createHash('sha256')
      .update(makeSignDocBytes(tx.bodyBytes, tx.authInfoBytes, 'c-1', 4n))
      .digest();
    expect(secp256k1.ecdsaVerify(tx.signatures[0]!, digest, from.pubkey)).toBe(true);
  });

  it('signs a plan slice in order with sequence = start + round', () => {
    const plan = planTxs('transfer', 12, 5, 2);
    const { data, offsets } = signPlan(plan, BigInt64Array.from([3n, 3n, 3n, 3n, 3n, 0n]));
    expect(offsets).toHaveLength(13);
    for (let i = 0; i < 12; i++) {
      const tx = TxRaw.decode(data.subarray(offsets[i]!, offsets[i + 1]!));
      const msg = MsgSend.decode(TxBody.decode(tx.bodyBytes).messages[0]!.value);
      expect(msg.fromAddress).toBe(loadAccount('s', plan.from[i]!, addresses).address);
      expect(AuthInfo.decode(tx.authInfoBytes).signerInfos[0]!.sequence).toBe(3n + BigInt(plan.round[i]!));
    }
  });

  it('signs a drug MsgShip of one unit, verifiable like any tx', () => {
    const from = loadAccount('t', 0, addresses);
    const to = loadAccount('t', 1, addresses).address;
    const units = [{ gtin: DRUG_GTIN, serial: 'X1' }];
    const tx = TxRaw.decode(
      signShip(from, {
        chainId: 'c-1',
        denom: 'upara',
        accountNumber: 2n,
        sequence: 1n,
        to,
        units,
        tiHash: 'ab'.repeat(32),
        gasLimit: 400_000n,
      }),
    );
    const body = TxBody.decode(tx.bodyBytes);
    expect(body.messages[0]!.typeUrl).toBe('/parazone.drugregistry.v1.MsgShip');
    expect(MsgShip.decode(body.messages[0]!.value)).toMatchObject({
      signer: from.address,
      to,
      purpose: 'SALE',
      units,
      containers: [],
      tiHash: 'ab'.repeat(32),
    });
    expect(AuthInfo.decode(tx.authInfoBytes).fee!.gasLimit).toBe(400_000n);
    const digest = createHash('sha256')
      .update(makeSignDocBytes(tx.bodyBytes, tx.authInfoBytes, 'c-1', 2n))
      .digest();
    expect(secp256k1.ecdsaVerify(tx.signatures[0]!, digest, from.pubkey)).toBe(true);
  });

  it('a drug slice ships, per tx, the unit of the sender for that round', () => {
    const plan = planTxs('drug', 9, 4, 3);
    const { data, offsets } = signPlan(plan, new BigInt64Array(5));
    const shipped = new Set<string>();
    for (let i = 0; i < 9; i++) {
      const tx = TxRaw.decode(data.subarray(offsets[i]!, offsets[i + 1]!));
      const msg = MsgShip.decode(TxBody.decode(tx.bodyBytes).messages[0]!.value);
      expect(msg.signer).toBe(loadAccount('s', plan.from[i]!, addresses).address);
      expect(msg.to).toBe(loadAccount('s', plan.to[i]!, addresses).address);
      expect(msg.units).toEqual([{ gtin: DRUG_GTIN, serial: drugSerial(plan.from[i]!, plan.round[i]!) }]);
      expect(msg.tiHash).toMatch(/^[0-9a-f]{64}$/);
      shipped.add(msg.units[0]!.serial);
    }
    expect(shipped.size).toBe(9);
  });

  it('sizes the kvstore ceiling per workload: drug txs are larger than transfers', () => {
    const transfer = sampleTxBytes(planTxs('transfer', 64, 20, 1), 1);
    const drug = sampleTxBytes(planTxs('drug', 64, 20, 1), 1);
    expect(transfer).toBeGreaterThan(200);
    expect(drug).toBeGreaterThan(transfer + 64);
  });

  it('builds kvstore txs of an exact size, one "=", unique per index', () => {
    const a = kvstoreTx(1, 300);
    const b = kvstoreTx(2, 300);
    expect(a.length).toBe(300);
    expect(Buffer.from(a).toString().split('=')).toHaveLength(2);
    expect(txHash(a)).not.toBe(txHash(b));
    expect(() => kvstoreTx(123456, 4)).toThrow(/larger size/);
  });
});
