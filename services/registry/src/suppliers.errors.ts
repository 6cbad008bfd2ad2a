/** Errors of the supplier profile, facility and track-record routes (codes REGISTRY_SUPPLIER_…). */
import { defineErrors } from '@vinculo/service-kit/http';

export const supplierErrors = defineErrors('REGISTRY', {
  SUPPLIER_NOT_FOUND: { status: 404, en: 'Supplier not found', es: 'Proveedor no encontrado' },
  SUPPLIER_PROFILE_NOT_FOUND: {
    status: 404,
    en: 'This supplier has no profile yet: create it with PUT /suppliers/{id}/profile first',
    es: 'Este proveedor aún no tiene perfil: créalo primero con PUT /suppliers/{id}/profile',
  },
  SUPPLIER_EDIT_FORBIDDEN: {
    status: 403,
    en: 'Only owners and admins of the supplier can change its profile',
    es: 'Solo los propietarios y administradores del proveedor pueden cambiar su perfil',
  },
  SUPPLIER_FACILITY_NOT_FOUND: { status: 404, en: 'Facility not found', es: 'Planta no encontrada' },
  SUPPLIER_TRACK_RECORD_NOT_FOUND: {
    status: 404,
    en: 'Track record entry not found',
    es: 'Antecedente no encontrado',
  },
  SUPPLIER_SCIAN_INVALID: {
    status: 400,
    en: 'A SCIAN code is not a SCIAN 2023 class',
    es: 'Un código SCIAN no es una clase del SCIAN 2023',
  },
  SUPPLIER_SCIAN_MAPPED_INVALID: {
    status: 400,
    en: 'Mapped SCIAN codes must be among the profile’s SCIAN codes',
    es: 'Los códigos SCIAN mapeados deben estar entre los códigos SCIAN del perfil',
  },
  SUPPLIER_PROCESS_TAG_UNKNOWN: {
    status: 400,
    en: 'A process tag is not in the process catalogue',
    es: 'Una etiqueta de proceso no está en el catálogo de procesos',
  },
  SUPPLIER_CAPACITY_UNIT_UNKNOWN: {
    status: 400,
    en: 'The capacity unit is not in the catalogue',
    es: 'La unidad de capacidad no está en el catálogo',
  },
  SUPPLIER_FUNCTIONAL_STAGE_UNKNOWN: {
    status: 400,
    en: 'The functional stage is not one of CM, CDM, OEM, ODM, OBM',
    es: 'La etapa funcional no es una de CM, CDM, OEM, ODM, OBM',
  },
  SUPPLIER_COUNTRY_UNKNOWN: {
    status: 400,
    en: 'An export market is not an ISO 3166-1 country code',
    es: 'Un mercado de exportación no es un código de país ISO 3166-1',
  },
  SUPPLIER_TIER_DUPLICATE: {
    status: 400,
    en: 'Each industry may be declared at one tier only',
    es: 'Cada industria puede declararse en un solo nivel',
  },
  SUPPLIER_RFC_INVALID: {
    status: 400,
    en: 'The RFC does not have a valid format',
    es: 'El RFC no tiene un formato válido',
  },
  SUPPLIER_STATE_UNKNOWN: {
    status: 400,
    en: 'The state is not a Mexican state',
    es: 'El estado no es una entidad federativa de México',
  },
  SUPPLIER_CUSTOMER_UNKNOWN: {
    status: 400,
    en: 'The customer organization is not on the platform',
    es: 'La organización cliente no está en la plataforma',
  },
  SUPPLIER_TRACK_RECORD_DATE_INVALID: {
    status: 400,
    en: 'The date is not a calendar date between 1900 and 2100',
    es: 'La fecha no es una fecha de calendario entre 1900 y 2100',
  },
  SUPPLIER_COORDINATES_INCOMPLETE: {
    status: 400,
    en: 'Latitude and longitude go together: give both or neither',
    es: 'Latitud y longitud van juntas: indica ambas o ninguna',
  },
  SUPPLIER_FACILITY_REF_TAKEN: {
    status: 409,
    en: 'Another facility of this supplier has this external reference',
    es: 'Otra planta de este proveedor tiene esta referencia externa',
  },
});
