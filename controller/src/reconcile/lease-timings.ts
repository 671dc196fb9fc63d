// The renew deadline and retry period that go with a lease duration (client-go's ratios:
// renewals every 2/15 of the lease, given up after 2/3), so every caller derives them alike.
export function leaseTimings(leaseDurationMs: number): { leaseDurationMs: number; renewDeadlineMs: number; retryPeriodMs: number } {
  return {
    leaseDurationMs,
    renewDeadlineMs: Math.round((leaseDurationMs * 2) / 3),
    retryPeriodMs: Math.max(200, Math.round((leaseDurationMs * 2) / 15)),
  }
}
