import {
  Messager,
  Registerer,
  RegistererState,
  RequestPendingError,
  UserAgent,
  type Core,
  type Invitation,
  type Message,
  type URI,
} from 'sip.js';
import { Backoff, type BackoffOptions } from '@/lib/phone/backoff';
import type { AccountStatus, RegistrationFailure } from '@/lib/phone/phone-snapshot';
import { classifyRegisterResponse } from '@/lib/phone/registration-failure';
import { classifyMessageResponse, MessageSendError } from '@/lib/phone/message-failure';
import { createRegistrationMachine, RegistrationState } from '@/lib/phone/registration-state';
import { createUserAgent } from '@/lib/phone/sip-user-agent-factory';
import { isReadableText, MAX_RECEIVED_MESSAGE_CHARS, type ReceivedMessage } from '@/lib/phone/text-message';
import type { Account } from '@/lib/settings/settings-schema';
import { splitSipAddress } from '@/lib/settings/settings-schema';
import { createLogger } from '@/lib/util/logger';
import { withTimeout } from '@/lib/util/with-timeout';

const log = createLogger('account');

/** Registration lifetime asked of the registrar, in seconds; SIP.js refreshes before it runs out. */
const REGISTER_EXPIRES_S = 300;

/** How long {@link AccountLine.checkConnection} waits for any answer before calling the connection dead. */
const PROBE_TIMEOUT_MS = 5000;

export interface AccountLineDelegate {
  /** Registration status changed. */
  onStatusChange(line: AccountLine): void;
  /** An INVITE arrived for this account. */
  onInvite(line: AccountLine, invitation: Invitation): void;
  /** A text MESSAGE arrived for this account and was accepted (200). */
  onMessage?(line: AccountLine, message: ReceivedMessage): void;
  /**
   * The connection to the server dropped (or was found dead and dropped); a new one is on its
   * way. Calls on the account learn of it here; {@link onStatusChange} with `Registered` says
   * it is back.
   */
  onConnectionLost?(line: AccountLine): void;
}

export interface AccountLineOptions {
  backoff?: BackoffOptions;
  now?: () => number;
  isOnline?: () => boolean;
  /** Opens the microphone for the account's calls. @defaultValue SIP.js's own (`getUserMedia` with its constraints) */
  openMicrophone?: () => Promise<MediaStream>;
  /** How long a connection check waits for an answer. @defaultValue 5000 */
  probeTimeoutMs?: number;
}

/**
 * One SIP account: one SIP.js UserAgent and one Registerer, kept registered.
 *
 * It owns the retry policy: when the connection cannot be opened or is lost, or the registrar fails,
 * it retries with capped exponential backoff and jitter. Wrong credentials stop it until
 * {@link AccountLine.retryNow} (new settings create a new line).
 */
export class AccountLine {
  readonly ua: UserAgent;
  private readonly registerer: Registerer;
  private readonly machine = createRegistrationMachine();
  private readonly backoff: Backoff;
  private readonly now: () => number;
  private readonly isOnline: () => boolean;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private uaStarted = false;
  private stopping = false;
  private failure: RegistrationFailure | undefined;
  private detail: string | undefined;
  private retryAt: number | undefined;
  private readonly probeTimeoutMs: number;
  private probing = false;

  constructor(
    readonly account: Account,
    private readonly delegate: AccountLineDelegate,
    options: AccountLineOptions = {},
  ) {
    this.backoff = new Backoff(options.backoff);
    this.now = options.now ?? Date.now;
    this.isOnline = options.isOnline ?? (() => true);
    this.probeTimeoutMs = options.probeTimeoutMs ?? PROBE_TIMEOUT_MS;
    this.ua = createUserAgent(account, {
      onConnect: () => this.onConnect(),
      onDisconnect: (error) => this.onDisconnect(error),
      onInvite: (invitation) => this.delegate.onInvite(this, invitation),
      onMessage: (message) => this.onMessage(message),
    }, options.openMicrophone);
    this.registerer = new Registerer(this.ua, { expires: REGISTER_EXPIRES_S });
    this.registerer.stateChange.addListener((state) => this.onRegistererState(state));
    this.machine.changes.on(() => this.delegate.onStatusChange(this));
  }

  get id(): string {
    return this.account.id;
  }

  get state(): RegistrationState {
    return this.machine.state;
  }

  /** `user@host` of the account. */
  get aor(): string {
    const { user, host } = splitSipAddress(this.account.sipUri);
    return `${user}@${host}`;
  }

  status(): AccountStatus {
    return {
      accountId: this.id,
      aor: this.aor,
      state: this.machine.state,
      ...(this.failure ? { failure: this.failure } : {}),
      ...(this.detail ? { detail: this.detail } : {}),
      ...(this.retryAt !== undefined && this.machine.state === RegistrationState.Waiting
        ? { retryAt: this.retryAt }
        : {}),
      attempts: this.backoff.attempts,
    };
  }

  /** Connects and registers. */
  start(): void {
    void this.connect();
  }

  /** Skips the backoff wait (user's "Retry", or the network came back). */
  retryNow(): void {
    if (this.stopping) return;
    if (this.state !== RegistrationState.Waiting && this.state !== RegistrationState.Failed) return;
    this.clearRetry();
    this.backoff.reset();
    if (this.ua.isConnected()) this.register();
    else void this.connect();
  }

  /** The network came back: do not wait for the timer. */
  networkChanged(online: boolean): void {
    if (online) {
      this.retryNow();
      this.checkConnection('network');
    } else if (this.state === RegistrationState.Waiting && !isLoopbackServer(this.account.wsServer)) {
      this.setFailure('offline', undefined);
      this.delegate.onStatusChange(this);
    }
  }

  /**
   * After the computer woke up or the network changed: an open WebSocket may be dead without
   * the browser knowing (the far side forgot it, or the address it was bound to is gone).
   *
   * Waiting for a retry: retry now. Registered: ask the server something (OPTIONS, RFC 3261
   * §11; any answer, even an error, proves the connection carries SIP); on none within a few
   * seconds drop the connection and connect anew, which re-registers and lets calls recover.
   * After a wake-up an answer is followed by a REGISTER at once: the binding may have expired
   * while the computer slept. (`navigator.connection` also reports mere changes of its speed
   * estimate, so a network change only checks, it does not re-register.)
   */
  checkConnection(cause: 'wake' | 'network'): void {
    if (this.stopping || this.probing) return;
    if (this.state === RegistrationState.Waiting) {
      this.retryNow();
      return;
    }
    if (this.state !== RegistrationState.Registered) return;
    if (!this.ua.isConnected()) {
      this.reconnectNow('not connected');
      return;
    }
    this.probing = true;
    const settle = (alive: boolean, detail: string): void => {
      if (!this.probing) return;
      this.probing = false;
      clearTimeout(timer);
      if (this.stopping) return;
      if (!alive) this.reconnectNow(detail);
      else if (cause === 'wake') this.reregister();
    };
    const timer = setTimeout(() => settle(false, `no answer to OPTIONS in ${this.probeTimeoutMs} ms`), this.probeTimeoutMs);
    const answered = (response: { message: { statusCode?: number } }): void => {
      const code = response.message.statusCode ?? 0;
      // SIP.js answers its own transport failure as 503 and its timeout as 408.
      settle(code !== 0 && code !== 408 && code !== 503, `OPTIONS answered ${code}`);
    };
    const delegate: Core.OutgoingRequestDelegate = { onAccept: answered, onReject: answered, onRedirect: answered };
    try {
      const core = this.ua.userAgentCore;
      const server = UserAgent.makeURI(`sip:${splitSipAddress(this.account.sipUri).host}`)!;
      const aor = this.ua.configuration.uri;
      core.request(core.makeOutgoingRequestMessage('OPTIONS', server, aor, server, {}), delegate);
    } catch (error) {
      settle(false, errorText(error));
    }
  }

  /**
   * Sends a text MESSAGE (RFC 3428) to a complete SIP URI, as UTF-8 `text/plain`. Resolves with its
   * Call-ID once the far end (or the server for it) answers 2xx; rejects with a
   * {@link MessageSendError} when the account is not registered or the answer is an error. SIP.js
   * answers its own transaction timeout as 408 and a transport error as 503, so every outcome ends
   * in `onAccept` or `onReject`.
   */
  sendMessage(target: URI, body: string): Promise<string> {
    if (this.state !== RegistrationState.Registered || !this.ua.isConnected()) {
      return Promise.reject(new MessageSendError('offline', `account ${this.aor} is not registered`, `local-${crypto.randomUUID()}`));
    }
    const messager = new Messager(this.ua, target, body, 'text/plain;charset=UTF-8');
    // Answers from the far end carry the request's Call-ID; SIP.js's own 408 (timeout) and 503
    // (transport error) have none, and a local id keeps such a failed message apart from others.
    const idOf = (callId: string | undefined): string => callId || `local-${crypto.randomUUID()}`;
    return new Promise<string>((resolve, reject) => {
      messager
        .message({
          requestDelegate: {
            onAccept: (response) => resolve(idOf(response.message.callId)),
            onReject: (response) => {
              const code = response.message.statusCode ?? 0;
              const detail = `SIP ${code} ${response.message.reasonPhrase}`;
              reject(new MessageSendError(classifyMessageResponse(code), detail, idOf(response.message.callId)));
            },
          },
        })
        .catch((error: unknown) => reject(new MessageSendError('server-error', errorText(error), idOf(undefined))));
    });
  }

  /** Unregisters (best effort, bounded in time) and closes the connection. */
  async stop(): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    this.clearRetry();
    if (this.state !== RegistrationState.Idle) this.machine.transition(RegistrationState.Unregistering);
    try {
      if (this.registerer.state === RegistererState.Registered && this.ua.isConnected()) {
        await withTimeout(this.registerer.unregister(), 2000);
      }
    } catch (error) {
      log.debug('unregister failed', error);
    }
    try {
      await withTimeout(this.ua.stop(), 2000);
    } catch (error) {
      log.debug('user agent stop failed', error);
    }
    if (this.state === RegistrationState.Unregistering) this.machine.transition(RegistrationState.Idle);
  }

  private async connect(): Promise<void> {
    if (this.stopping) return;
    this.moveTo(RegistrationState.Connecting);
    try {
      if (this.uaStarted) await this.ua.reconnect();
      else {
        this.uaStarted = true;
        await this.ua.start();
      }
    } catch (error) {
      // Browsers do not say why a WebSocket failed (an unreachable host and an untrusted
      // certificate look the same), so "unreachable" covers both; the message says so.
      this.scheduleRetry('unreachable', errorText(error));
    }
  }

  /**
   * A MESSAGE arrived: plain text is accepted (200) and reported; anything else is refused, so the
   * sender learns it was not shown: 415 for another content type (RFC 3428 §7), 413 for a body too
   * long to keep.
   */
  private onMessage(message: Message): void {
    const request = message.request;
    const contentType = request.getHeader('Content-Type');
    const body = request.body ?? '';
    if (!isReadableText(contentType)) {
      message
        .reject({ statusCode: 415, extraHeaders: ['Accept: text/plain'] })
        .catch((error: unknown) => log.debug('415 not sent', error));
      log.info(`${this.aor}: refused a MESSAGE of type ${contentType ?? '(none)'}`);
      return;
    }
    if (body.length > MAX_RECEIVED_MESSAGE_CHARS) {
      message.reject({ statusCode: 413 }).catch((error: unknown) => log.debug('413 not sent', error));
      return;
    }
    message.accept().catch((error: unknown) => log.debug('200 to MESSAGE not sent', error));
    const from = request.from;
    const name = from.displayName?.trim();
    this.delegate.onMessage?.(this, {
      accountId: this.id,
      messageId: request.callId,
      remoteUri: from.uri.toString(),
      remoteNumber: from.uri.user ?? from.uri.toString(),
      ...(name ? { remoteName: name } : {}),
      body,
      contentType: contentType!,
      at: this.now(),
    });
  }

  private onConnect(): void {
    if (this.stopping) return;
    this.register();
  }

  private register(): void {
    this.moveTo(RegistrationState.Registering);
    this.registerer
      .register({ requestDelegate: this.registerDelegate() })
      .catch((error: unknown) => this.scheduleRetry('connection-lost', errorText(error)));
  }

  /**
   * Refreshes a registration that is believed to stand, without showing "Registering…". A
   * REGISTER already on its way (SIP.js's own refresh) does the same job, so that is no error.
   */
  private reregister(): void {
    this.registerer.register({ requestDelegate: this.registerDelegate() }).catch((error: unknown) => {
      if (!(error instanceof RequestPendingError)) this.scheduleRetry('connection-lost', errorText(error));
    });
  }

  private registerDelegate(): Core.OutgoingRequestDelegate {
    return {
      // Registerer's stateChange does not fire for a re-registration (Registered → Registered),
      // e.g. after a reconnect, so the 2xx itself is what says we are registered.
      onAccept: () => this.onRegistered(),
      onReject: (response) => {
        const code = response.message.statusCode ?? 0;
        const { failure, retry } = classifyRegisterResponse(code);
        const detail = `SIP ${code} ${response.message.reasonPhrase}`;
        if (retry) this.scheduleRetry(failure, detail);
        else this.fail(failure, detail);
      },
    };
  }

  /** Drops a connection found dead and connects anew at once (no backoff: it just worked). */
  private reconnectNow(detail: string): void {
    log.info(`${this.aor}: connection presumed dead (${detail}); reconnecting`);
    this.clearRetry();
    this.backoff.reset();
    this.setFailure('connection-lost', detail);
    this.delegate.onConnectionLost?.(this);
    // A deliberate disconnect reports no error, so onDisconnect leaves it to us. Its closing
    // handshake cannot complete over a dead connection, so the new one does not wait for it
    // (SIP.js's transport may go from Disconnecting straight to Connecting).
    this.ua.transport.disconnect().catch((error: unknown) => log.debug('disconnect failed', error));
    // Registered → Waiting → Connecting, as after any lost connection (the panel says "Reconnecting…").
    this.moveTo(RegistrationState.Waiting);
    void this.connect();
  }

  private onRegistererState(state: RegistererState): void {
    if (this.stopping) return;
    if (state === RegistererState.Registered) {
      this.onRegistered();
    } else if (
      state === RegistererState.Unregistered &&
      (this.state === RegistrationState.Registering || this.state === RegistrationState.Registered)
    ) {
      // Unregistered without a final error response: the REGISTER (or its refresh) timed out.
      this.scheduleRetry('timeout', undefined);
    }
  }

  private onRegistered(): void {
    if (this.stopping || this.state === RegistrationState.Registered) return;
    this.backoff.reset();
    this.failure = undefined;
    this.detail = undefined;
    this.moveTo(RegistrationState.Registered);
  }

  private onDisconnect(error: Error | undefined): void {
    if (this.stopping || !error) return;
    this.delegate.onConnectionLost?.(this);
    if (this.state === RegistrationState.Failed) return;
    this.scheduleRetry('connection-lost', errorText(error));
  }

  private scheduleRetry(failure: RegistrationFailure, detail: string | undefined): void {
    if (this.stopping || this.state === RegistrationState.Failed) return;
    this.clearRetry();
    // `navigator.onLine` speaks of the machine's outside networks; a server on this machine is
    // reachable without them, so "offline" would be the wrong explanation for it.
    const online = this.isOnline() || isLoopbackServer(this.account.wsServer);
    this.setFailure(online ? failure : 'offline', detail);
    const delay = this.backoff.next();
    this.retryAt = this.now() + delay;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      if (this.ua.isConnected()) this.register();
      else void this.connect();
    }, delay);
    if (this.state === RegistrationState.Waiting) this.delegate.onStatusChange(this);
    else this.machine.transition(RegistrationState.Waiting);
    log.info(`${this.aor}: ${failure}${detail ? ` (${detail})` : ''}; retry in ${delay} ms`);
  }

  private fail(failure: RegistrationFailure, detail: string): void {
    this.clearRetry();
    this.setFailure(failure, detail);
    this.moveTo(RegistrationState.Failed);
    log.warn(`${this.aor}: ${failure} (${detail}); not retrying until asked`);
  }

  private setFailure(failure: RegistrationFailure, detail: string | undefined): void {
    this.failure = failure;
    this.detail = detail;
  }

  private moveTo(state: RegistrationState): void {
    if (this.machine.state === state) this.delegate.onStatusChange(this);
    else this.machine.transition(state);
  }

  private clearRetry(): void {
    if (this.retryTimer !== undefined) clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    this.retryAt = undefined;
  }
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Whether a WebSocket server address points at this machine. */
export function isLoopbackServer(wsServer: string): boolean {
  try {
    const host = new URL(wsServer).hostname;
    return host === 'localhost' || host === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(host);
  } catch {
    return false;
  }
}
