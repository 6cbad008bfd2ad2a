/** (being written) */
import type { HttpServer } from '@vinculo/service-kit/http';
import type { SupplierRouteDeps } from './deps.js';

export function supplierRoutes(_app: HttpServer, _deps: SupplierRouteDeps): void {}
