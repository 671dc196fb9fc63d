// How a reconcile ends when it cannot finish now.

/** Retry later without counting as a failure (e.g. waiting for AWS to finish something). */
export class RequeueAfter extends Error {
  override readonly name = 'RequeueAfter'
  constructor(
    readonly delayMs: number,
    reason: string,
  ) {
    super(reason)
  }
}

/** A failure that retrying cannot fix until the object changes (bad input): no backoff retries. */
export class PermanentError extends Error {
  override readonly name = 'PermanentError'
}

/**
 * Work stopped on purpose: this replica lost its Lease or is shutting down, so a reconcile in
 * progress ends here instead of retrying or writing (docs/adr/0503-lost-lease-stops-work-promptly.md).
 */
export class Aborted extends Error {
  override readonly name = 'Aborted'
}

export const errorMessage = (error: unknown) => (error instanceof Error ? error.message : String(error))
