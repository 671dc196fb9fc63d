// Every spec case, for the matcher test and the runtime tests.
import { edgeAnswerCases } from './edge-answers'
import { gatewayApiHostCases } from './gateway-api-hosts'
import { gatewayApiMatchingCases } from './gateway-api-matching'
import { hostileCases } from './hostile'
import { ingressCases } from './ingress'
import type { SpecCase } from './types'

export type { SpecCase, SpecOutcome, SpecRequest } from './types'

export const specCases: SpecCase[] = [...ingressCases, ...gatewayApiMatchingCases, ...gatewayApiHostCases, ...hostileCases, ...edgeAnswerCases]
