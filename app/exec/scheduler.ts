/**
 * Block-STM's collaborative scheduler (paper Algorithm 4; go-block-stm `scheduler.go`), for a
 * single thread of control: the coordinator owns it and workers only run executions, so the
 * paper's atomics and per-tx locks become plain fields while the algorithm — execution_idx,
 * validation_idx, decrease_cnt, num_active_tasks, done marker, ESTIMATE dependencies — is kept
 * step for step. The seeded simulator drives this same class.
 */
export const TxStatus = {
  ReadyToExecute: 0,
  Executing: 1,
  Executed: 2,
  Aborting: 3,
} as const;

export interface Task {
  kind: 'exec' | 'validate';
  txIdx: number;
  inc: number;
}

export class Scheduler {
  executionIdx = 0;
  validationIdx = 0;
  decreaseCnt = 0;
  numActiveTasks = 0;
  done = false;
  readonly incarnation: Int32Array;
  readonly status: Uint8Array;
  private readonly deps: (number[] | undefined)[];
  /** Highest incarnation number handed out, for the fallback cap. */
  maxIncarnation = 0;

  constructor(readonly n: number) {
    this.incarnation = new Int32Array(n);
    this.status = new Uint8Array(n); // all ReadyToExecute
    this.deps = new Array(n);
    if (n === 0) this.done = true;
  }

  nextTask(): Task | null {
    if (this.validationIdx < this.executionIdx) return this.nextVersionToValidate();
    return this.nextVersionToExecute();
  }

  /** Tx `txIdx` read an ESTIMATE of `blocking`: park it until `blocking` finishes (false = already did, re-run now). */
  addDependency(txIdx: number, blocking: number): boolean {
    if (this.status[blocking] === TxStatus.Executed) return false;
    this.status[txIdx] = TxStatus.Aborting;
    (this.deps[blocking] ??= []).push(txIdx);
    this.numActiveTasks--;
    return true;
  }

  /** Returns a validation task for the same tx when only it needs validating. */
  finishExecution(txIdx: number, inc: number, wroteNewLocation: boolean): Task | null {
    this.status[txIdx] = TxStatus.Executed;
    const deps = this.deps[txIdx];
    this.deps[txIdx] = undefined;
    if (deps !== undefined && deps.length > 0) {
      let min = Infinity;
      for (const d of deps) {
        this.setReadyStatus(d);
        if (d < min) min = d;
      }
      this.decreaseExecutionIdx(min);
    }
    if (this.validationIdx > txIdx) {
      // Higher txs were validated against our old writes: with a new location they may have read
      // "through" it, so all of them re-validate; otherwise only this tx needs validating.
      if (wroteNewLocation) this.decreaseValidationIdx(txIdx);
      else return { kind: 'validate', txIdx, inc };
    }
    this.numActiveTasks--;
    return null;
  }

  /** EXECUTED(inc) → ABORTING, for exactly one failed validation of that incarnation. */
  tryValidationAbort(txIdx: number, inc: number): boolean {
    if (this.incarnation[txIdx] === inc && this.status[txIdx] === TxStatus.Executed) {
      this.status[txIdx] = TxStatus.Aborting;
      return true;
    }
    return false;
  }

  finishValidation(txIdx: number, aborted: boolean): Task | null {
    if (aborted) {
      this.setReadyStatus(txIdx);
      this.decreaseValidationIdx(txIdx + 1);
      if (this.executionIdx > txIdx) return this.tryIncarnate(txIdx);
    }
    this.numActiveTasks--;
    return null;
  }

  private nextVersionToExecute(): Task | null {
    if (this.executionIdx >= this.n) {
      this.checkDone();
      return null;
    }
    this.numActiveTasks++;
    return this.tryIncarnate(this.executionIdx++);
  }

  private nextVersionToValidate(): Task | null {
    if (this.validationIdx >= this.n) {
      this.checkDone();
      return null;
    }
    this.numActiveTasks++;
    const i = this.validationIdx++;
    if (i < this.n && this.status[i] === TxStatus.Executed) return { kind: 'validate', txIdx: i, inc: this.incarnation[i]! };
    this.numActiveTasks--;
    return null;
  }

  private tryIncarnate(txIdx: number): Task | null {
    if (txIdx < this.n && this.status[txIdx] === TxStatus.ReadyToExecute) {
      this.status[txIdx] = TxStatus.Executing;
      return { kind: 'exec', txIdx, inc: this.incarnation[txIdx]! };
    }
    this.numActiveTasks--;
    return null;
  }

  private setReadyStatus(txIdx: number): void {
    const inc = ++this.incarnation[txIdx]!;
    if (inc > this.maxIncarnation) this.maxIncarnation = inc;
    this.status[txIdx] = TxStatus.ReadyToExecute;
  }

  private decreaseExecutionIdx(target: number): void {
    if (target < this.executionIdx) this.executionIdx = target;
    this.decreaseCnt++;
  }

  private decreaseValidationIdx(target: number): void {
    if (target < this.validationIdx) this.validationIdx = target;
    this.decreaseCnt++;
  }

  private checkDone(): void {
    const observed = this.decreaseCnt;
    if (Math.min(this.executionIdx, this.validationIdx) >= this.n && this.numActiveTasks === 0 && observed === this.decreaseCnt) {
      this.done = true;
    }
  }
}
