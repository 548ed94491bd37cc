/** Real HTTP requests with the path sent byte for byte (no URL normalisation), for the auth tests. */
export { cookieFrom, rawRequest, type RawResponse } from '../../soak/lib/auth-matrix.ts';
