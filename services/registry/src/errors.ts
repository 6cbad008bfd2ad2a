/** Every error the registry answers with: a stable code, an HTTP status and a title in Spanish and English. */
import { defineErrors } from '@vinculo/service-kit/http';

export const errors = defineErrors('REGISTRY', {
  EMAIL_TAKEN: {
    status: 409,
    en: 'An account with this e-mail already exists',
    es: 'Ya existe una cuenta con este correo',
  },
  INVALID_CREDENTIALS: {
    status: 401,
    en: 'E-mail or password is incorrect',
    es: 'El correo o la contraseña son incorrectos',
  },
  INVALID_REFRESH_TOKEN: {
    status: 401,
    en: 'The refresh token is not valid',
    es: 'El token de renovación no es válido',
  },
  INVALID_API_KEY: { status: 401, en: 'The API key is not valid', es: 'La clave de API no es válida' },
  NOT_A_MEMBER: { status: 404, en: 'Organization not found', es: 'Organización no encontrada' },
  ORGANIZATION_NOT_FOUND: { status: 404, en: 'Organization not found', es: 'Organización no encontrada' },
  MEMBER_NOT_FOUND: { status: 404, en: 'Member not found', es: 'Miembro no encontrado' },
  INVITATION_NOT_FOUND: { status: 404, en: 'Invitation not found', es: 'Invitación no encontrada' },
  INVITATION_INVALID: {
    status: 400,
    en: 'The invitation is invalid or has expired',
    es: 'La invitación no es válida o ha vencido',
  },
  INVITATION_NEEDS_ACCOUNT: {
    status: 400,
    en: 'A name and a password are needed to create the account',
    es: 'Se necesitan un nombre y una contraseña para crear la cuenta',
  },
  API_KEY_NOT_FOUND: { status: 404, en: 'API key not found', es: 'Clave de API no encontrada' },
  FORBIDDEN_ROLE: {
    status: 403,
    en: 'Your role does not allow this action',
    es: 'Tu rol no permite esta acción',
  },
  LAST_OWNER: {
    status: 409,
    en: 'An organization must keep at least one owner',
    es: 'Una organización debe conservar al menos un propietario',
  },
  USER_ONLY: {
    status: 403,
    en: 'This action needs a signed-in person',
    es: 'Esta acción requiere una persona autenticada',
  },
  ALREADY_MEMBER: { status: 409, en: 'This person is already a member', es: 'Esta persona ya es miembro' },
});
