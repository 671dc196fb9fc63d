// Which gateways the edge should not send to right now (multi-cluster failover, docs/multi-cluster.md).
// A gateway that gave no response (refused, reset, timed out) is ejected for a cool-down period;
// after it, the gateway gets traffic again, and an answer from it restores it at once. State is
// per edge instance (process, Workers isolate, Lambda execution environment): nothing is shared.

export const DEFAULT_COOL_DOWN_MS = 10_000

/** A cool-down given in seconds by configuration (a Workers var, a Lambda environment variable); undefined when unset or not a number >= 0. */
export function coolDownFromSeconds(text: string | undefined): number | undefined {
  const seconds = text === undefined || text.trim() === '' ? Number.NaN : Number(text)
  return Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : undefined
}

export interface GatewayHealthOptions {
  coolDownMs?: number
  now?: () => number
}

export class GatewayHealth {
  /** Cool-down after an ejection; a runtime may change it when its configuration arrives late (Workers env). */
  coolDownMs: number
  private readonly now: () => number
  /** Gateway id -> end of its cool-down (ms on `now`'s clock); 0 = available. */
  private readonly until = new Map<string, number>()

  constructor(options: GatewayHealthOptions = {}) {
    this.coolDownMs = options.coolDownMs ?? DEFAULT_COOL_DOWN_MS
    this.now = options.now ?? (() => Date.now())
  }

  isAvailable(gateway: string): boolean {
    const until = this.until.get(gateway)
    return until === undefined || until <= this.now()
  }

  /** Records an attempt that got no response. True when this ejected an available gateway. */
  failed(gateway: string): boolean {
    const wasAvailable = this.isAvailable(gateway)
    this.until.set(gateway, this.now() + this.coolDownMs)
    return wasAvailable
  }

  /** Records a response (any status): the gateway is reachable again. */
  answered(gateway: string): void {
    if (this.until.get(gateway) !== 0) this.until.set(gateway, 0)
  }

  /** Every gateway seen so far and whether it is ejected now (for the ejected-state gauge). */
  states(): { gateway: string; ejected: boolean }[] {
    return [...this.until.keys()].map((gateway) => ({ gateway, ejected: !this.isAvailable(gateway) }))
  }
}
