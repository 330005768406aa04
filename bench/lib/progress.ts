/** A one-line progress bar on stderr with rate and ETA. */
export class Progress {
  private readonly started = Date.now();
  private done = 0;
  private lastDraw = 0;
  private note = '';

  constructor(
    private readonly label: string,
    private readonly total: number,
    private readonly unit: string,
  ) {}

  /** `note`: what else the work has produced so far (e.g. "120,000 milestones"), shown after the rate. */
  tick(n: number, note?: string): void {
    this.done += n;
    if (note !== undefined) this.note = note;
    const now = Date.now();
    if (now - this.lastDraw > 250 || this.done >= this.total) {
      this.lastDraw = now;
      this.draw();
    }
  }

  private draw(): void {
    const seconds = (Date.now() - this.started) / 1000;
    const rate = this.done / Math.max(seconds, 0.001);
    const share = this.total === 0 ? 1 : this.done / this.total;
    const width = 28;
    const bar = '#'.repeat(Math.round(share * width)).padEnd(width, '.');
    const eta = rate > 0 ? (this.total - this.done) / rate : 0;
    const fmt = (s: number) => `${Math.floor(s / 60)}:${String(Math.floor(s % 60)).padStart(2, '0')}`;
    process.stderr.write(
      `\r${this.label.padEnd(12)} [${bar}] ${(share * 100).toFixed(1).padStart(5)}% ${this.done.toLocaleString('en')}/${this.total.toLocaleString('en')} ${this.unit} ` +
        `${Math.round(rate).toLocaleString('en')}/s${this.note ? ` (${this.note})` : ''} elapsed ${fmt(seconds)} ETA ${fmt(eta)}   `,
    );
    if (this.done >= this.total) process.stderr.write('\n');
  }

  finish(): { seconds: number; rate: number } {
    if (this.done < this.total) {
      this.done = this.total;
      this.draw();
    }
    const seconds = (Date.now() - this.started) / 1000;
    return { seconds, rate: this.total / Math.max(seconds, 0.001) };
  }
}
