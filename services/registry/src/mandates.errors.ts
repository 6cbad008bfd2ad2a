/** Errors of bureau mandates (a supplier grants a subcontracting bureau the right to act for it). */
import { defineErrors } from '@vinculo/service-kit/http';

export const mandateErrors = defineErrors('REGISTRY', {
  MANDATE_NOT_FOUND: { status: 404, en: 'Mandate not found', es: 'Mandato no encontrado' },
  MANDATE_BUREAU_NOT_FOUND: {
    status: 404,
    en: 'No subcontracting bureau with this id',
    es: 'No existe una bolsa de subcontratación con este id',
  },
  MANDATE_SUPPLIERS_ONLY: {
    status: 403,
    en: 'Only a supplier organization can grant or change a mandate',
    es: 'Solo una organización proveedora puede otorgar o modificar un mandato',
  },
  MANDATE_FORBIDDEN_ROLE: {
    status: 403,
    en: 'Only owners and administrators can grant, change or end mandates',
    es: 'Solo propietarios y administradores pueden otorgar, modificar o terminar mandatos',
  },
  MANDATE_ALREADY_ACTIVE: {
    status: 409,
    en: 'This bureau already holds an active mandate from this supplier; change it or end it first',
    es: 'Esta bolsa ya tiene un mandato activo de este proveedor; modifícalo o termínalo primero',
  },
  MANDATE_ENDED: { status: 409, en: 'The mandate has ended', es: 'El mandato ya terminó' },
  MANDATE_INVALID_PERIOD: {
    status: 400,
    en: 'The period is not valid: dates must be real calendar dates and the end cannot be before the start or today',
    es: 'El periodo no es válido: las fechas deben existir y el fin no puede ser anterior al inicio ni a hoy',
  },
});
