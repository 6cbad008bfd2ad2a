/**
 * The services behind the gateway. `/api/<name>/*` is proxied to `<url>/*`; each upstream's `/ready` feeds the
 * gateway's readiness and its `/openapi.json` the aggregated document. A new service is one line here plus its
 * URL variable in config.ts.
 */
import type { GatewayConfig } from './config.js';

export interface Upstream {
  /** Lower-case service name: the readiness key, the OpenAPI tag, the `<name>` in `/api/<name>`. */
  name: string;
  /** Public path prefix, `/api/<name>`. */
  prefix: string;
  /** Base URL of the service, without a trailing slash. */
  url: string;
}

export function upstreamsFromConfig(
  config: Pick<GatewayConfig, 'REGISTRY_URL' | 'MATCHING_URL' | 'AUDITS_URL' | 'MESSAGING_URL'>,
): Upstream[] {
  const table: Array<[name: string, url: string]> = [
    ['registry', config.REGISTRY_URL],
    ['matching', config.MATCHING_URL],
    ['audits', config.AUDITS_URL],
    ['messaging', config.MESSAGING_URL],
  ];
  return table.filter(([, url]) => url !== '').map(([name, url]) => upstream(name, url));
}

export function upstream(name: string, url: string): Upstream {
  if (!/^[a-z][a-z0-9-]*$/.test(name)) throw new Error(`bad upstream name ${name}`);
  return { name, prefix: `/api/${name}`, url: url.replace(/\/+$/, '') };
}
