/**
 * Delivery of invitation e-mails. Until the messaging service exists the transport writes the message to the
 * log; it sits behind the same interface a real e-mail transport will implement.
 */
export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
}

export interface Mailer {
  send(mail: OutgoingMail): Promise<void>;
}

export interface MailLogger {
  info(obj: object, msg?: string): void;
}

export function createLogMailer(log: MailLogger): Mailer {
  return {
    send(mail) {
      // The link carries a secret: it is logged because this transport exists for local use only.
      log.info({ mail }, 'e-mail (log transport)');
      return Promise.resolve();
    },
  };
}

export function invitationMail(m: {
  email: string;
  organizationName: string;
  role: string;
  token: string;
  expiresAt: string;
  locale: 'es' | 'en';
  acceptUrl: string;
}): OutgoingMail {
  const link = `${m.acceptUrl}?token=${encodeURIComponent(m.token)}`;
  return m.locale === 'en'
    ? {
        to: m.email,
        subject: `You are invited to ${m.organizationName} on Vínculo`,
        text: `You have been invited to join ${m.organizationName} as ${m.role}.\nAccept: ${link}\nThe invitation expires at ${m.expiresAt}.`,
      }
    : {
        to: m.email,
        subject: `Te invitaron a ${m.organizationName} en Vínculo`,
        text: `Te invitaron a unirte a ${m.organizationName} con el rol ${m.role}.\nAcepta aquí: ${link}\nLa invitación vence el ${m.expiresAt}.`,
      };
}
