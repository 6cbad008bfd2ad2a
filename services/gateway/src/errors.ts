import { defineErrors } from '@vinculo/service-kit/http';

export const errors = defineErrors('GATEWAY', {
  UPSTREAM_UNAVAILABLE: {
    status: 503,
    en: 'The service behind this route is unavailable',
    es: 'El servicio detrás de esta ruta no está disponible',
  },
  UPSTREAM_TIMEOUT: {
    status: 504,
    en: 'The service behind this route did not answer in time',
    es: 'El servicio detrás de esta ruta no respondió a tiempo',
  },
});
