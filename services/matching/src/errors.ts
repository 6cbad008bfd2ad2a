/** Every error matching answers with: a stable code, an HTTP status and a title in Spanish and English. */
import { defineErrors } from '@vinculo/service-kit/http';

export const errors = defineErrors('MATCHING', {
  REQUIREMENT_NOT_FOUND: { status: 404, en: 'Requirement not found', es: 'Requerimiento no encontrado' },
  BUYERS_ONLY: {
    status: 403,
    en: 'Only buyer organizations post requirements',
    es: 'Solo las organizaciones compradoras publican requerimientos',
  },
  FORBIDDEN_ROLE: {
    status: 403,
    en: 'Your role does not allow this action',
    es: 'Tu rol no permite esta acción',
  },
  INVALID_TRANSITION: {
    status: 409,
    en: 'The requirement cannot move to that state from its current one',
    es: 'El requerimiento no puede pasar a ese estado desde el actual',
  },
  DEADLINE_PASSED: { status: 409, en: 'The deadline has already passed', es: 'La fecha límite ya pasó' },
  INVALID_DEADLINE: {
    status: 400,
    en: 'The deadline must be a real date, today or later',
    es: 'La fecha límite debe ser una fecha real, de hoy en adelante',
  },
  UNKNOWN_CERTIFICATE: {
    status: 400,
    en: 'Unknown certification standard',
    es: 'Norma de certificación desconocida',
  },
  UNKNOWN_PROCESS_TAG: { status: 400, en: 'Unknown process', es: 'Proceso desconocido' },
  UNKNOWN_UNIT: { status: 400, en: 'Unknown capacity unit', es: 'Unidad de capacidad desconocida' },
  WEIGHTS_ALL_ZERO: {
    status: 400,
    en: 'At least one weight must be above zero',
    es: 'Al menos un peso debe ser mayor que cero',
  },
  // Opportunities, the upgrading roadmap, members' fit (domain/opportunities.ts).
  SUPPLIER_SIDE_ONLY: {
    status: 403,
    en: 'Only suppliers, or bureaus for a member under a mandate, see opportunities',
    es: 'Solo los proveedores, o las bolsas por un miembro con mandato, ven oportunidades',
  },
  BUREAUS_ONLY: {
    status: 403,
    en: 'Only subcontracting bureaus see how their members fit',
    es: 'Solo las bolsas de subcontratación ven qué tan bien encajan sus miembros',
  },
  MEMBER_REQUIRED: {
    status: 400,
    en: 'A bureau must say which member supplier it asks for (supplierId)',
    es: 'Una bolsa debe indicar por cuál proveedor miembro pregunta (supplierId)',
  },
  // Invitations, applications, deals (domain/deals.ts).
  APPLICATION_NOT_FOUND: { status: 404, en: 'Application not found', es: 'Postulación no encontrada' },
  DEAL_NOT_FOUND: { status: 404, en: 'Deal not found', es: 'Contrato no encontrado' },
  UNKNOWN_SUPPLIER: {
    status: 404,
    en: 'Supplier not found',
    es: 'Proveedor no encontrado',
  },
  APPLICANTS_ONLY: {
    status: 403,
    en: 'Only suppliers, or bureaus under a mandate, apply to requirements',
    es: 'Solo los proveedores, o las bolsas con un mandato, se postulan a requerimientos',
  },
  MANDATE_SCOPE_MISSING: {
    status: 403,
    en: 'Your mandate from this supplier does not allow applying for it',
    es: 'Tu mandato de este proveedor no permite postularte en su nombre',
  },
  SUPPLIER_ID_REQUIRED: {
    status: 400,
    en: 'A bureau must say which member supplier it applies for',
    es: 'Una bolsa debe indicar por cuál proveedor miembro se postula',
  },
  REQUIREMENT_NOT_OPEN: {
    status: 409,
    en: 'The requirement is not in a state that allows this',
    es: 'El estado del requerimiento no lo permite',
  },
  ALREADY_INVITED: {
    status: 409,
    en: 'This supplier is already invited',
    es: 'Este proveedor ya está invitado',
  },
  ALREADY_APPLIED: {
    status: 409,
    en: 'This supplier already has an application to this requirement',
    es: 'Este proveedor ya tiene una postulación a este requerimiento',
  },
  INVALID_APPLICATION_TRANSITION: {
    status: 409,
    en: 'The application cannot move to that state from its current one',
    es: 'La postulación no puede pasar a ese estado desde el actual',
  },
  INVALID_DATE: { status: 400, en: 'Not a real calendar date', es: 'No es una fecha válida' },
});
