// Runs a task at most once per window however many times it is triggered: the first trigger
// starts the window, later ones join it; a trigger while the task runs schedules one more run
// after it. A run may ask to be retried later (its return value, in ms); a trigger that comes
// sooner wins. Used by the route module: a burst of object changes costs one compile.
export class Coalescer {
  private timer: NodeJS.Timeout | null = null
  private dueAt = Infinity
  private running: Promise<void> | null = null
  private again = false
  private stopped = false

  constructor(
    private readonly task: () => Promise<number | void>,
    private readonly windowMs: number,
  ) {}

  trigger(delayMs = this.windowMs): void {
    if (this.stopped) return
    if (this.running) {
      this.again = true
      return
    }
    const due = Date.now() + delayMs
    if (this.timer && this.dueAt <= due) return
    if (this.timer) clearTimeout(this.timer)
    this.dueAt = due
    this.timer = setTimeout(() => this.run(), delayMs)
  }

  /** No further runs; resolves once the run in progress (if any) has finished. */
  async stop(): Promise<void> {
    this.stopped = true
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
    await this.running
  }

  private run(): void {
    this.timer = null
    this.dueAt = Infinity
    this.again = false
    this.running = this.task().then(
      (retryMs) => {
        this.running = null
        if (this.again) this.trigger()
        else if (typeof retryMs === 'number') this.trigger(retryMs)
      },
      () => {
        this.running = null
        if (this.again) this.trigger()
      },
    )
  }
}
