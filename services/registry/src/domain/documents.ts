/**
 * Certificate documents: what an upload must be before it is stored. The type comes from the bytes (file-type's
 * magic numbers), never from the file name or the part's declared content type, which the client controls: a
 * ZIP renamed `.pdf` or an HTML page sent as `application/pdf` is refused. Such a file is a 415 (the content's
 * media type is one we do not accept) with the code REGISTRY_CERTIFICATE_DOCUMENT_TYPE_NOT_ALLOWED, the same
 * status as a request that is not multipart at all (REGISTRY_CERTIFICATE_NOT_MULTIPART), so clients can tell
 * the two apart by code. An empty file is a 400.
 */
import { createHash } from 'node:crypto';
import { fileTypeFromBuffer } from 'file-type';
import { certificateErrors } from '../certificates.errors.js';
import type { DocumentsTable } from '../db/schema.js';

export type DocumentMediaType = DocumentsTable['media_type'];

export const DOCUMENT_MEDIA_TYPES: readonly DocumentMediaType[] = [
  'application/pdf',
  'image/png',
  'image/jpeg',
];

const EXTENSIONS: Record<DocumentMediaType, string> = {
  'application/pdf': 'pdf',
  'image/png': 'png',
  'image/jpeg': 'jpg',
};

export interface CheckedDocument {
  bytes: Buffer;
  sha256: string;
  mediaType: DocumentMediaType;
  /** A safe file name for content-disposition: the client's base name, or one made from the hash. */
  fileName: string;
}

function isAllowed(mime: string | undefined): mime is DocumentMediaType {
  return mime !== undefined && (DOCUMENT_MEDIA_TYPES as readonly string[]).includes(mime);
}

/** Validates an uploaded file by its content and names it; throws the certificate errors on bad input. */
export async function checkDocument(bytes: Buffer, clientName: string | undefined): Promise<CheckedDocument> {
  if (bytes.length === 0) throw certificateErrors.CERTIFICATE_DOCUMENT_EMPTY();
  const sniffed = await fileTypeFromBuffer(bytes);
  if (!isAllowed(sniffed?.mime)) {
    throw certificateErrors.CERTIFICATE_DOCUMENT_TYPE_NOT_ALLOWED({
      detail: sniffed
        ? { en: `The content is ${sniffed.mime}`, es: `El contenido es ${sniffed.mime}` }
        : { en: 'The content type could not be recognised', es: 'No se reconoció el tipo del contenido' },
    });
  }
  const mediaType = sniffed.mime;
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  return { bytes, sha256, mediaType, fileName: safeFileName(clientName, sha256, mediaType) };
}

/**
 * The client's file name reduced to a harmless base name with the extension of the real type, for the
 * content-disposition header (no paths, quotes, control or non-ASCII characters; bounded length).
 */
export function safeFileName(
  clientName: string | undefined,
  sha256: string,
  mediaType: DocumentMediaType,
): string {
  const ext = EXTENSIONS[mediaType];
  const base = (clientName ?? '')
    .split(/[\\/]/)
    .pop()!
    .replace(/\.[A-Za-z0-9]{1,5}$/, '')
    .normalize('NFKD')
    .replace(/[^A-Za-z0-9._-]+/g, '_')
    .replace(/^[._]+/, '')
    .slice(0, 100);
  return `${base || `document-${sha256.slice(0, 12)}`}.${ext}`;
}
