import { QueryVerifyResponse } from '../../../../generated/parazone/drugregistry/v1/query.js';
import { verdictOf } from './verdict.js';

const found = (over: Parameters<typeof QueryVerifyResponse.fromPartial>[0]) =>
  QueryVerifyResponse.fromPartial({ found: true, verdict: 'VERIFIED', status: 'ACTIVE', saleable: true, flags: {}, ...over });

describe('verdictOf', () => {
  it('names each outcome a person must act on', () => {
    expect(verdictOf(QueryVerifyResponse.fromPartial({ found: false, verdict: 'NOT_FOUND' })).kind).toBe('unknown');
    expect(verdictOf(found({})).kind).toBe('genuine');
    expect(verdictOf(found({ saleable: false, flags: { recalled: true } })).kind).toBe('recalled');
    expect(verdictOf(found({ saleable: false, flags: { withdrawn: true } })).kind).toBe('recalled');
    expect(verdictOf(found({ saleable: false, flags: { expired: true } })).kind).toBe('expired');
    expect(verdictOf(found({ verdict: 'INACTIVE', status: 'DISPENSED', saleable: false })).kind).toBe('dispensed');
    expect(verdictOf(found({ verdict: 'INACTIVE', status: 'DESTROYED', saleable: false })).kind).toBe('decommissioned');
    expect(verdictOf(found({ status: 'QUARANTINED', saleable: false, openInvestigationId: 3n })).kind).toBe('suspect');
    expect(verdictOf(found({ verdict: 'LOT_MISMATCH' })).kind).toBe('suspect');
    expect(verdictOf(found({ status: 'IN_TRANSIT', saleable: false, flags: { inTransit: true } })).kind).toBe('not-saleable');
  });

  it('reports a dispensed pack of a recalled batch as dispensed, and a suspect one as suspect first', () => {
    expect(verdictOf(found({ verdict: 'INACTIVE', status: 'DISPENSED', saleable: false, flags: { recalled: true } })).kind).toBe(
      'dispensed',
    );
    expect(verdictOf(found({ status: 'QUARANTINED', saleable: false, flags: { recalled: true, expired: true } })).kind).toBe('suspect');
  });
});
