/**
 * Sandbox time of the EPGU replica: the shared sandbox clock, running `factor` times faster than
 * real time from the moment the site was built, plus whatever the admin route added
 * (`POST /__sandbox/epgu/clock {"advanceDays": 3}` or `{"factor": 1440}`). Applications are
 * registered and answered in this time, so a test or the demo sees days pass in seconds.
 */
export class EpguClock {
  private offsetMs = 0;
  private anchorReal: number;
  private anchorBase: number;
  constructor(private readonly base: () => number, private factorValue = 1) {
    this.anchorReal = base();
    this.anchorBase = this.anchorReal;
  }

  /** Sandbox ms now. */
  now(): number {
    return this.anchorBase + (this.base() - this.anchorReal) * this.factorValue + this.offsetMs;
  }

  get factor(): number {
    return this.factorValue;
  }

  /** Changes the speed from now on (sandbox time stays continuous). */
  setFactor(factor: number): void {
    if (!(factor > 0) || factor > 1e7) throw new RangeError('factor must be in (0, 1e7]');
    const current = this.now() - this.offsetMs;
    this.anchorReal = this.base();
    this.anchorBase = current;
    this.factorValue = factor;
  }

  /** Jumps forward. */
  advance(ms: number): void {
    if (!(ms >= 0)) throw new RangeError('the sandbox clock only moves forward');
    this.offsetMs += ms;
  }
}
