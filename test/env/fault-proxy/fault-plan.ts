// What the fault proxy does with each call: pure rules, decided with an injected random
// source so a seeded run throttles the same calls every time.
import { injectedFailure, throttlingError, type AwsErrorSpec } from './aws-errors'
import type { AwsCall } from './aws-request'

export interface CallSelector {
  /** elbv2, ec2, s3...; any service when absent. */
  service?: string
  /** Any action when absent. */
  action?: string
}

export interface ThrottleRule extends CallSelector {
  /** 0..1: the share of matching calls answered with the service's throttling error. */
  fraction: number
}

export interface NthCallFailure extends CallSelector {
  action: string
  /** 1-based, counting every request of that action the proxy received (retries too). */
  nth: number
  /**
   * before: AWS never sees the call. after: AWS performs it, the caller gets the error anyway.
   * hang: AWS performs it and the caller never gets an answer (a process killed mid-call).
   */
  when?: 'before' | 'after' | 'hang'
  error?: AwsErrorSpec
}

export type Decision =
  | { kind: 'forward' }
  | { kind: 'throttle'; error: AwsErrorSpec }
  | { kind: 'fail'; when: 'before' | 'after' | 'hang'; error: AwsErrorSpec }

export class FaultPlan {
  private throttles: ThrottleRule[] = []
  private failures: NthCallFailure[] = []

  throttle(rule: ThrottleRule): void {
    if (!(rule.fraction >= 0 && rule.fraction <= 1)) throw new Error(`throttle fraction must be within 0..1, got ${rule.fraction}`)
    this.throttles.push(rule)
  }

  failNth(rule: NthCallFailure): void {
    if (!Number.isInteger(rule.nth) || rule.nth < 1) throw new Error(`nth must be a positive integer, got ${rule.nth}`)
    this.failures.push(rule)
  }

  clear(): void {
    this.throttles = []
    this.failures = []
  }

  /** `callNumber`: how many calls of this service and action were received, this one included. */
  decide(call: AwsCall, callNumber: number, random: () => number): Decision {
    const failure = this.failures.find((f) => matches(f, call) && f.nth === callNumber)
    if (failure) return { kind: 'fail', when: failure.when ?? 'before', error: failure.error ?? injectedFailure }
    const throttle = this.throttles.find((t) => matches(t, call))
    if (throttle && random() < throttle.fraction) return { kind: 'throttle', error: throttlingError(call.service) }
    return { kind: 'forward' }
  }
}

function matches(selector: CallSelector, call: AwsCall): boolean {
  return (selector.service === undefined || selector.service === call.service) && (selector.action === undefined || selector.action === call.action)
}

/** mulberry32: a small seeded generator, enough to spread faults reproducibly. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}
