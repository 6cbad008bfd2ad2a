/** Errors of certificates, their documents and their verification by auditors (codes REGISTRY_CERTIFICATE_…). */
import { defineErrors } from '@vinculo/service-kit/http';

export const certificateErrors = defineErrors('REGISTRY', {
  CERTIFICATE_SUPPLIER_NOT_FOUND: { status: 404, en: 'Supplier not found', es: 'Proveedor no encontrado' },
  CERTIFICATE_NOT_FOUND: { status: 404, en: 'Certificate not found', es: 'Certificado no encontrado' },
  CERTIFICATE_FORBIDDEN_ROLE: {
    status: 403,
    en: 'Your role does not allow changing certificates',
    es: 'Tu rol no permite modificar certificados',
  },
  CERTIFICATE_UNKNOWN_STANDARD: {
    status: 400,
    en: 'The standard is not in the certification catalogue',
    es: 'La norma no está en el catálogo de certificaciones',
  },
  CERTIFICATE_INVALID_DATES: {
    status: 400,
    en: 'The validity dates are not valid calendar dates, or validTo is before validFrom',
    es: 'Las fechas de vigencia no son fechas válidas, o validTo es anterior a validFrom',
  },
  CERTIFICATE_REVOKED: {
    status: 409,
    en: 'The certificate was revoked and can no longer change',
    es: 'El certificado fue revocado y ya no puede cambiar',
  },
  CERTIFICATE_EXPIRED: {
    status: 409,
    en: 'The certificate has expired; change its validity first',
    es: 'El certificado venció; cambia primero su vigencia',
  },
  CERTIFICATE_DOCUMENT_MISSING: {
    status: 400,
    en: 'The request has no file: send one file field as multipart/form-data',
    es: 'La solicitud no trae archivo: envía un campo de archivo como multipart/form-data',
  },
  CERTIFICATE_UPLOAD_MALFORMED: {
    status: 400,
    en: 'The multipart/form-data body could not be read',
    es: 'No se pudo leer el cuerpo multipart/form-data',
  },
  CERTIFICATE_DOCUMENT_EMPTY: { status: 400, en: 'The file is empty', es: 'El archivo está vacío' },
  CERTIFICATE_DOCUMENT_TOO_LARGE: {
    status: 413,
    en: 'The file is larger than the upload limit',
    es: 'El archivo supera el límite de carga',
  },
  CERTIFICATE_DOCUMENT_TYPE_NOT_ALLOWED: {
    status: 415,
    en: 'The file content is not a PDF, PNG or JPEG document',
    es: 'El contenido del archivo no es un documento PDF, PNG o JPEG',
  },
  CERTIFICATE_NOT_MULTIPART: {
    status: 415,
    en: 'Upload the document as multipart/form-data',
    es: 'Sube el documento como multipart/form-data',
  },
  CERTIFICATE_DOCUMENT_NOT_FOUND: { status: 404, en: 'Document not found', es: 'Documento no encontrado' },
  CERTIFICATE_AUDITOR_NOT_FOUND: {
    status: 404,
    en: 'Auditor organization not found',
    es: 'Organización auditora no encontrada',
  },
  CERTIFICATE_VERIFICATION_ALREADY_REQUESTED: {
    status: 409,
    en: 'This auditor already has an open verification request for the certificate',
    es: 'Este auditor ya tiene una solicitud de verificación abierta para el certificado',
  },
  CERTIFICATE_VERIFICATION_NOT_FOUND: {
    status: 404,
    en: 'Verification request not found',
    es: 'Solicitud de verificación no encontrada',
  },
  CERTIFICATE_VERIFICATION_DECIDED: {
    status: 409,
    en: 'The verification request was already decided',
    es: 'La solicitud de verificación ya fue resuelta',
  },
  CERTIFICATE_VERIFICATION_FORBIDDEN_ROLE: {
    status: 403,
    en: 'Viewers cannot decide verification requests',
    es: 'Los lectores no pueden resolver solicitudes de verificación',
  },
});
