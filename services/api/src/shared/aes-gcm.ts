import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/** The three parts of an AES-256-GCM sealed value; each caller keeps its own wire format around them. */
export interface Sealed {
  iv: Buffer;
  tag: Buffer;
  data: Buffer;
}

/** Encrypts and authenticates `plain` with a 32-byte key and a fresh 12-byte IV. */
export function sealAesGcm(key: Buffer, plain: string): Sealed {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const data = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  return { iv, tag: cipher.getAuthTag(), data };
}

/** Decrypts what `sealAesGcm` sealed; throws when the key is wrong or anything was changed. */
export function openAesGcm(key: Buffer, sealed: Sealed): string {
  const decipher = createDecipheriv('aes-256-gcm', key, sealed.iv);
  decipher.setAuthTag(sealed.tag);
  return Buffer.concat([decipher.update(sealed.data), decipher.final()]).toString('utf8');
}
