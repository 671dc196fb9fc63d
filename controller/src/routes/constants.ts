// Names that tie Kubernetes objects to this controller (installed by infra/).
export const INGRESS_CONTROLLER = 'edge-ingress.io/ingress-controller'
export const GATEWAY_CONTROLLER = 'edge-ingress.io/gateway-controller'
/** Name of the IngressClass and the GatewayClass we install. */
export const CLASS_NAME = 'edge-ingress'
export const LEGACY_INGRESS_CLASS_ANNOTATION = 'kubernetes.io/ingress.class'
export const DEFAULT_INGRESS_CLASS_ANNOTATION = 'ingressclass.kubernetes.io/is-default-class'

export const GATEWAY_GROUP = 'gateway.networking.k8s.io'
/** Objects without a creationTimestamp (manifest files) count as equally old. */
export const UNKNOWN_CREATION_TIME = '1970-01-01T00:00:00.000Z'
