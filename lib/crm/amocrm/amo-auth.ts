/** A long-lived token of a private integration: no refresh, it works until it expires. */
export interface AmoTokenAuth {
  type: 'token';
  token: string;
}

/** An OAuth 2.0 integration: an access token refreshed with its refresh token when it expires. */
export interface AmoOAuth {
  type: 'oauth';
  clientId: string;
  clientSecret: string;
  redirectUri: string;
  accessToken: string;
  refreshToken: string;
  /** When the access token expires (epoch ms). */
  expiresAt: number;
}

/** How the connection proves who it is. */
export type AmoAuth = AmoTokenAuth | AmoOAuth;

/** A fresh OAuth pair, as the adapter hands it to be stored. */
export interface AmoTokenPair {
  accessToken: string;
  refreshToken: string;
  expiresAt: number;
}
