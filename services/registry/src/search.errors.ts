/** Errors of supplier search and the public profile. */
import { defineErrors } from '@vinculo/service-kit/http';

export const searchErrors = defineErrors('REGISTRY', {
  SEARCH_SUPPLIER_NOT_FOUND: { status: 404, en: 'Supplier not found', es: 'Proveedor no encontrado' },
  SEARCH_INVALID_FILTER: {
    status: 400,
    en: 'A search filter is not valid',
    es: 'Un filtro de búsqueda no es válido',
  },
  SEARCH_INVALID_CURSOR: { status: 400, en: 'The cursor is not valid', es: 'El cursor no es válido' },
});
