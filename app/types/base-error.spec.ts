import { BaseError } from './base-error.js';

class DiskFull extends BaseError {}

describe('BaseError', () => {
  it('has the short message, the details appended, the cause, and the subclass name', () => {
    const cause = new Error('ENOSPC');
    const err = new DiskFull('could not write the snapshot', { details: '0 bytes left on /data', cause });
    expect(err).toBeInstanceOf(BaseError);
    expect(err.name).toBe('DiskFull');
    expect(err.shortMessage).toBe('could not write the snapshot');
    expect(err.details).toBe('0 bytes left on /data');
    expect(err.message).toBe('could not write the snapshot\n\nDetails: 0 bytes left on /data');
    expect(err.cause).toBe(cause);
  });

  it('without details the message is the short message; walk finds a cause', () => {
    const root = new Error('root');
    const err = new DiskFull('outer', { cause: new DiskFull('middle', { cause: root }) });
    expect(err.message).toBe('outer');
    expect(err.walk()).toBe(root);
    expect(err.walk((e) => e instanceof DiskFull && e.shortMessage === 'middle')).toBe(err.cause);
    expect(err.walk(() => false)).toBeUndefined();
  });
});
