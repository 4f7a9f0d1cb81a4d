import { errors, type JWTPayload, type JWTVerifyOptions, jwtVerify } from 'jose';
import type { Config } from '../env';

const encoder = new TextEncoder();

/**
 * Verifies an HS256 token against JWT_SECRET and, when the signature does not match it, against
 * JWT_SECRET_PREVIOUS: a rotation (docs/deploy.md) keeps the tokens signed before it valid until they expire.
 * Only a signature mismatch falls back; an expired or foreign-issuer token fails on the current secret and
 * stays failed. Tokens are always signed with JWT_SECRET.
 */
export async function verifyToken(
  config: Pick<Config, 'JWT_SECRET' | 'JWT_SECRET_PREVIOUS'>,
  token: string,
  options: JWTVerifyOptions,
): Promise<JWTPayload> {
  const verify = (secret: string) =>
    jwtVerify(token, encoder.encode(secret), { ...options, algorithms: ['HS256'] });
  try {
    return (await verify(config.JWT_SECRET)).payload;
  } catch (error) {
    if (!config.JWT_SECRET_PREVIOUS || !(error instanceof errors.JWSSignatureVerificationFailed)) throw error;
    return (await verify(config.JWT_SECRET_PREVIOUS)).payload;
  }
}
