// Runs a task at most once per window however many times it is triggered: the first trigger
// starts the window, later ones join it; a trigger while the task runs schedules one more run
// after it. Used by the route module: a burst of object changes costs one compile.
export class Coalescer {
  private timer: NodeJS.Timeout | null = null
  private running: Promise<void> | null = null
  private again = false
  private stopped = false

  constructor(
    private readonly task: () => Promise<void>,
    private readonly windowMs: number,
  ) {}

  trigger(delayMs = this.windowMs): void {
    if (this.stopped) return
    if (this.running) {
      this.again = true
      return
    }
    if (this.timer) return
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
    this.again = false
    this.running = this.task().finally(() => {
      this.running = null
      if (this.again) this.trigger()
    })
  }
}
