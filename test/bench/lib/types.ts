// What a benchmark module returns. Each lives in test/bench/<name>.bench.ts and
// default-exports `(ctx: BenchContext) => Promise<BenchResult>`.

export interface BenchContext {
  /** Scale the work down for a smoke run (`npm run bench -- --quick`). */
  quick: boolean
  log(message: string): void
}

export interface BenchGoal {
  description: string
  met: boolean
}

export interface BenchResult {
  name: string
  /** What was measured and how, in a sentence or two. */
  method: string
  /** Medians, percentiles, counts, ratios against the in-run baseline. */
  metrics: Record<string, number | string>
  goals: BenchGoal[]
}
