export {
  createClient,
  DEFAULT_GATEWAY_URL,
  REGISTRY_PREFIX,
  type CertificatesClient,
  type ClientOptions,
  type MandatesClient,
  type SuppliersClient,
  type CreateOptions,
  type RegistryClient,
  type RequestOptions,
  type VinculoClient,
} from './client.js';
export { VinculoApiError, isVinculoApiError } from './errors.js';
export { paginate } from './paginate.js';
export type * from './types.js';
