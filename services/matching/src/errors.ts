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
});
