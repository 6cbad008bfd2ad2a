/** (being written) */
import type { HttpServer } from '@vinculo/service-kit/http';
import type { SupplierRouteDeps } from './deps.js';

export function mandateRoutes(_app: HttpServer, _deps: SupplierRouteDeps): void {}
