/** Where progress goes: a terminal gets a bar redrawn in place, anything else a line every tenth of the way. */
export interface ProgressOutput {
  write(text: string): unknown;
  readonly isTTY?: boolean;
  readonly columns?: number;
}

const WIDTH = 28;

/** The progress of one phase of the run (placing, simulating, settling). */
export class Progress {
  private lastTenth = -1;
  private drawn = false;
  private lastDraw = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly out: ProgressOutput,
    private readonly label: string,
    private readonly now: () => number = Date.now,
  ) {}

  /** `done` of `total`, with what to say beside the bar. A terminal is redrawn at most ten times a second. */
  update(done: number, total: number, detail = ''): void {
    const share = total <= 0 ? 1 : Math.max(0, Math.min(1, done / total));
    if (this.out.isTTY === true) {
      if (this.now() - this.lastDraw < 100 && share < 1) return;
      this.lastDraw = this.now();
      const filled = Math.round(share * WIDTH);
      const line = `${this.label} [${'#'.repeat(filled)}${'-'.repeat(WIDTH - filled)}] ${(share * 100).toFixed(0).padStart(3)}% ${detail}`;
      const columns = this.out.columns ?? 120;
      this.out.write(`\r${line.length > columns - 1 ? line.slice(0, columns - 1) : line.padEnd(columns - 1)}`);
      this.drawn = true;
      return;
    }
    const tenth = Math.floor(share * 10);
    if (tenth > this.lastTenth) {
      this.lastTenth = tenth;
      this.out.write(`${this.label}: ${tenth * 10}% ${detail}\n`);
    }
  }

  /** Ends the bar's line on a terminal. */
  done(): void {
    if (this.out.isTTY === true && this.drawn) this.out.write('\n');
    this.drawn = false;
  }
}
