import { UserAgent, Web, type UserAgentDelegate, type UserAgentOptions } from 'sip.js';
import type { Account } from '@/lib/settings/settings-schema';
import { splitSipAddress } from '@/lib/settings/settings-schema';
import { createLogger } from '@/lib/util/logger';

const sipLog = createLogger('sip.js');

/** Seconds to wait for the WebSocket to open before calling the server unreachable. */
export const CONNECTION_TIMEOUT_S = 6;

/**
 * Builds the SIP.js UserAgent for an account. SIP.js does not reconnect by itself (reconnectionAttempts defaults to 0): the account line
 * drives reconnection with its own backoff, so there is exactly one retry policy.
 */
export function createUserAgent(
  account: Account,
  delegate: UserAgentDelegate,
  openMicrophone?: () => Promise<MediaStream>,
): UserAgent {
  const { user, host } = splitSipAddress(account.sipUri);
  const uri = UserAgent.makeURI(`sip:${user}@${host}`);
  if (!uri) throw new TypeError(`not a SIP address: ${account.sipUri}`);
  const options: UserAgentOptions = {
    uri,
    authorizationUsername: account.authUser || user,
    authorizationPassword: account.password,
    displayName: account.displayName || undefined,
    transportOptions: {
      server: account.wsServer,
      connectionTimeout: CONNECTION_TIMEOUT_S,
      // RFC 5626 CRLF keep-alives every 25 s keep NATs and proxies from dropping an idle WebSocket.
      keepAliveInterval: 25,
    },
    ...(openMicrophone ? { sessionDescriptionHandlerFactory: microphoneHandlerFactory(openMicrophone) } : {}),
    sessionDescriptionHandlerFactoryOptions: {
      // Never fall back to SIP.js's default public STUN server: only what the user configured.
      peerConnectionConfiguration: { iceServers: account.iceServers },
      iceGatheringTimeout: 1000,
    },
    logBuiltinEnabled: false,
    logLevel: 'warn',
    logConnector: (level, category, _label, content) => {
      if (level === 'error') sipLog.error(category, content);
      else if (level === 'warn') sipLog.warn(category, content);
    },
    delegate,
    userAgentString: 'CRM Softphone',
  };
  return new UserAgent(options);
}

/**
 * SIP.js's session description handler, with the microphone opened by `openMicrophone` (the chosen
 * device and processing flags, or the default device) rather than by the constraints SIP.js passes.
 * One place decides, whether SIP.js opens the microphone for a new call or again for a re-INVITE
 * whose constraints differ (it compares them with the first call's), and a device that is not
 * connected falls back instead of failing the call.
 */
function microphoneHandlerFactory(openMicrophone: () => Promise<MediaStream>) {
  return Web.defaultSessionDescriptionHandlerFactory((constraints) =>
    constraints.audio ? openMicrophone() : Promise.resolve(new MediaStream()),
  );
}

/** A stable fingerprint of what affects an account's registration, to detect real changes. */
export function accountFingerprint(account: Account): string {
  return JSON.stringify([
    account.wsServer,
    account.sipUri,
    account.authUser,
    account.password,
    account.displayName,
    account.iceServers,
    account.enabled,
  ]);
}
