// The "customer" softphone used as the far end in end-to-end tests and in demos.
//
// Plain browser ESM with no build step: SIP.js is imported from the static server, which serves
// node_modules/sip.js/lib under /sip.js/ (every import inside that folder is a relative path with an
// explicit .js extension, so the browser can load it as is).
//
// Tests drive it through window.farEnd (see the API object at the bottom); a person can use the
// form on the page. Query parameters prefill the form: ?ws=ws://127.0.0.1:PORT&user=1002&password=pw1002
// &domain=demo.local&name=Customer&register=1&autoAnswer=1

import {
  Inviter,
  Messager,
  Registerer,
  RegistererState,
  SessionState,
  SIPExtension,
  UserAgent,
  Web,
} from '/sip.js/index.js';

/** @typedef {'idle'|'ringing-in'|'calling'|'ringing-out'|'established'|'terminated'} CallState */

const LOOPBACK = '127.0.0.1';

/** @type {UserAgent | undefined} */
let userAgent;
/** @type {Registerer | undefined} */
let registerer;
/** @type {string} */
let domain = 'demo.local';
/** @type {import('/sip.js/index.js').Session | undefined} */
let session;
/** @type {import('/sip.js/index.js').Invitation | undefined} */
let pendingInvitation;
/** @type {CallState} */
let callState = 'idle';
let autoAnswerEnabled = false;
/** Whether this page put the current call on hold. */
let onHold = false;
/** @type {string} */
let lastInviteText = '';
/** @type {string} */
let lastReferText = '';
/** When set, REFERs are answered with this final code instead of being followed (e.g. 403, 405, 501). */
let referRefusalCode = 0;
/** When set, INFOs are answered with this final code instead of 200 (e.g. 405, 415, 501). */
let infoRefusalCode = 0;
/** DTMF digits received in SIP INFO (application/dtmf-relay), oldest first. @type {{ signal: string, duration: number, contentType: string }[]} */
const receivedInfoDtmf = [];
/** @type {Set<() => void>} */
const dtmfWaiters = new Set();
/** @type {{ local: string, remote: string, localUnfiltered: string, remoteUnfiltered: string }} */
let lastSdp = { local: '', remote: '', localUnfiltered: '', remoteUnfiltered: '' };
/** When false the page signals all ICE candidates, like a softphone without the loopback filter. */
let filterCandidates = true;
/** @type {{ bytesSent: number, bytesReceived: number, packetsReceived: number, audioEnergy: number, audioSeconds: number }} */
let lastStats = { bytesSent: 0, bytesReceived: 0, packetsReceived: 0, audioEnergy: 0, audioSeconds: 0 };
/** @type {string[]} */
const eventLog = [];
/** Text messages received, oldest first. @type {{ from: string, body: string, contentType: string, callId: string }[]} */
const receivedMessages = [];
/** @type {Set<() => void>} */
const messageWaiters = new Set();
/** @type {Set<() => void>} */
const stateWaiters = new Set();
/** @type {ReturnType<typeof setInterval> | undefined} */
let statsTimer;

const $ = (/** @type {string} */ id) => /** @type {HTMLElement} */ (document.getElementById(id));

function logEvent(/** @type {string} */ text) {
  const line = `${new Date().toISOString()} ${text}`;
  eventLog.push(line);
  const view = $('events');
  if (view) {
    view.textContent = eventLog.slice(-200).join('\n');
    view.scrollTop = view.scrollHeight;
  }
}

function setState(/** @type {CallState} */ next) {
  if (callState === next) return;
  callState = next;
  logEvent(`state ${next}`);
  render();
  for (const wake of stateWaiters) wake();
}

function registrationState() {
  if (!registerer || !userAgent) return 'unregistered';
  // SIP.js keeps saying "Registered" after the WebSocket dropped (e.g. the server restarted)
  if (!userAgent.isConnected()) return 'disconnected';
  return registerer.state === RegistererState.Registered ? 'registered' : registerer.state.toLowerCase();
}

function render() {
  const status = $('status');
  if (!status) return;
  const who = userAgent ? userAgent.configuration.uri.toString() : 'not configured';
  status.textContent = `${who} · ${registrationState()} · call: ${callState}`;
  status.dataset.state = callState;
  /** @type {HTMLButtonElement} */ ($('answer')).disabled = callState !== 'ringing-in';
  const holdButton = /** @type {HTMLButtonElement} */ ($('holdButton'));
  holdButton.disabled = callState !== 'established';
  holdButton.textContent = onHold && callState === 'established' ? 'Resume' : 'Hold';
}

// ---- loopback-only ICE ---------------------------------------------------------------------------
// The test machines have a second interface whose address must never be a media target. Chromium
// gathers host candidates on every interface, so the page keeps only 127.0.0.1 candidates in both
// the SDP it sends and the SDP it applies, and points c=/m= at the loopback candidate. rtpengine and
// the other browser then only ever send media to 127.0.0.1.

/** @param {string} sdp */
function loopbackOnlySdp(sdp) {
  const eol = sdp.includes('\r\n') ? '\r\n' : '\n';
  const sections = sdp.split(/\r?\n(?=m=)/);
  return sections
    .map((section) => {
      const lines = section.split(/\r?\n/);
      const kept = lines.filter((line) => {
        if (!line.startsWith('a=candidate:')) return true;
        return line.split(' ')[4] === LOOPBACK;
      });
      if (!section.startsWith('m=')) {
        return kept.map((line) => (line.startsWith('c=IN IP4 ') ? `c=IN IP4 ${LOOPBACK}` : line)).join(eol);
      }
      const rtpCandidate = kept.find((line) => line.startsWith('a=candidate:') && line.split(' ')[1] === '1');
      const loopbackPort = rtpCandidate ? rtpCandidate.split(' ')[5] : undefined;
      return kept
        .map((line) => {
          if (line.startsWith('c=IN IP4 ')) return `c=IN IP4 ${LOOPBACK}`;
          if (line.startsWith('a=rtcp:') && line.includes(' IN IP4 ')) {
            const port = loopbackPort ?? line.slice('a=rtcp:'.length).split(' ')[0];
            return `a=rtcp:${port} IN IP4 ${LOOPBACK}`;
          }
          if (line.startsWith('m=') && loopbackPort) {
            const parts = line.split(' ');
            if (parts[1] !== '0') parts[1] = loopbackPort; // port 0 = rejected stream, keep it
            return parts.join(' ');
          }
          return line;
        })
        .join(eol);
    })
    .join(eol);
}

function countCandidates(/** @type {string} */ sdp) {
  return sdp.split(/\r?\n/).filter((line) => line.startsWith('a=candidate:')).length;
}

/**
 * Wraps SIP.js's default session description handler so that the SDP leaving and entering the page
 * is loopback-only (see above), and so that the last SDPs can be inspected (hold checks).
 */
function sessionDescriptionHandlerFactory(
  /** @type {import('/sip.js/index.js').Session} */ owner,
  /** @type {object} */ options,
) {
  const base = Web.defaultSessionDescriptionHandlerFactory();
  const handler = base(owner, options);
  const getLocal = handler.getLocalSessionDescription.bind(handler);
  handler.getLocalSessionDescription = () =>
    getLocal().then((description) => {
      const sdp = filterCandidates ? loopbackOnlySdp(description.sdp) : description.sdp;
      const dropped = countCandidates(description.sdp) - countCandidates(sdp);
      if (dropped > 0) logEvent(`dropped ${dropped} non-loopback local ICE candidate(s)`);
      lastSdp = { ...lastSdp, local: sdp, localUnfiltered: description.sdp };
      return { type: description.type, sdp };
    });
  const setRemote = handler.setRemoteSessionDescription.bind(handler);
  handler.setRemoteSessionDescription = (/** @type {RTCSessionDescriptionInit} */ description) => {
    const sdp = filterCandidates ? loopbackOnlySdp(description.sdp ?? '') : (description.sdp ?? '');
    lastSdp = { ...lastSdp, remote: sdp, remoteUnfiltered: description.sdp ?? '' };
    return setRemote({ type: description.type, sdp });
  };
  return handler;
}

// ---- media and statistics -------------------------------------------------------------------------

function peerConnection() {
  const handler = session?.sessionDescriptionHandler;
  return /** @type {RTCPeerConnection | undefined} */ (handler?.peerConnection);
}

async function pollStats() {
  const pc = peerConnection();
  if (!pc || pc.connectionState === 'closed') return lastStats;
  const report = await pc.getStats();
  const totals = { bytesSent: 0, bytesReceived: 0, packetsReceived: 0, audioEnergy: 0, audioSeconds: 0 };
  report.forEach((entry) => {
    const isAudio = entry.kind === 'audio' || entry.mediaType === 'audio';
    if (!isAudio) return;
    if (entry.type === 'inbound-rtp') {
      totals.bytesReceived += entry.bytesReceived ?? 0;
      totals.packetsReceived += entry.packetsReceived ?? 0;
      // Energy of what was heard (sum of squared levels × seconds): how loud the received audio is.
      totals.audioEnergy += entry.totalAudioEnergy ?? 0;
      totals.audioSeconds += entry.totalSamplesDuration ?? 0;
    } else if (entry.type === 'outbound-rtp') {
      totals.bytesSent += entry.bytesSent ?? 0;
    }
  });
  lastStats = totals;
  return totals;
}

function playRemoteAudio() {
  const handler = session?.sessionDescriptionHandler;
  const stream = handler?.remoteMediaStream;
  const audio = /** @type {HTMLAudioElement} */ ($('remoteAudio'));
  if (!stream || !audio) return;
  audio.srcObject = stream;
  audio.play().catch((error) => logEvent(`audio play failed: ${error}`));
}

// ---- sessions -------------------------------------------------------------------------------------

/** Follows one session's life cycle into the page state. */
function trackSession(/** @type {import('/sip.js/index.js').Session} */ tracked, /** @type {string} */ label) {
  session = tracked;
  onHold = false;
  lastStats = { bytesSent: 0, bytesReceived: 0, packetsReceived: 0, audioEnergy: 0, audioSeconds: 0 };
  tracked.delegate = {
    onInvite: (request) => {
      // a re-INVITE (hold/resume); SIP.js answers it itself
      lastInviteText = request.toString();
      logEvent(`re-INVITE received (${label})`);
    },
    onBye: () => logEvent(`BYE received (${label})`),
    onInfo: (info) => {
      const request = info.request;
      const contentType = request.getHeader('Content-Type') ?? '';
      if (infoRefusalCode) {
        logEvent(`INFO refused with ${infoRefusalCode} (${label})`);
        info.reject({ statusCode: infoRefusalCode }).catch(() => undefined);
        return;
      }
      // application/dtmf-relay: "Signal=5\r\nDuration=160\r\n"
      const signal = /^Signal\s*=\s*(\S+)/im.exec(request.body ?? '')?.[1] ?? '';
      const duration = Number(/^Duration\s*=\s*(\d+)/im.exec(request.body ?? '')?.[1] ?? 0);
      receivedInfoDtmf.push({ signal, duration, contentType });
      logEvent(`INFO ${contentType} Signal=${signal} Duration=${duration} (${label})`);
      info.accept().catch(() => undefined);
      for (const wake of dtmfWaiters) wake();
    },
    onRefer: (referral) => {
      lastReferText = referral.request.toString();
      logEvent(`REFER received to ${referral.referTo.uri.toString()} (${label})`);
      if (referRefusalCode) {
        logEvent(`REFER refused with ${referRefusalCode}`);
        referral.reject({ statusCode: referRefusalCode }).catch(() => undefined);
        return;
      }
      // Behave like a phone: accept and call the transfer target.
      referral
        .accept()
        .then(() => {
          const inviter = referral.makeInviter(outgoingSessionOptions());
          trackSession(inviter, 'refer');
          setState('calling');
          return inviter.invite(outgoingInviteOptions('refer'));
        })
        .catch((error) => logEvent(`REFER handling failed: ${error}`));
    },
  };
  tracked.stateChange.addListener((state) => {
    if (session !== tracked) return; // an older session (e.g. before a transfer) finished
    logEvent(`session ${label} ${state}`);
    if (state === SessionState.Established) {
      setState('established');
      playRemoteAudio();
      clearInterval(statsTimer);
      // keep a recent snapshot so stats() still answers after the peer connection is closed
      statsTimer = setInterval(() => void pollStats().catch(() => undefined), 500);
    } else if (state === SessionState.Terminated) {
      clearInterval(statsTimer);
      if (pendingInvitation === tracked) pendingInvitation = undefined;
      setState('terminated');
    }
  });
}

function outgoingSessionOptions() {
  return {
    sessionDescriptionHandlerOptions: { constraints: { audio: true, video: false } },
  };
}

function outgoingInviteOptions(/** @type {string} */ label) {
  return {
    requestDelegate: {
      onProgress: (response) => {
        const code = response.message.statusCode;
        logEvent(`${code} ${response.message.reasonPhrase} (${label})`);
        if (code >= 180 && callState === 'calling') setState('ringing-out');
      },
      onReject: (response) => {
        logEvent(`call rejected: ${response.message.statusCode} ${response.message.reasonPhrase}`);
      },
      onAccept: (response) => logEvent(`${response.message.statusCode} OK (${label})`),
    },
  };
}

function onInvite(/** @type {import('/sip.js/index.js').Invitation} */ invitation) {
  lastInviteText = invitation.request.toString();
  const from = invitation.remoteIdentity.uri.toString();
  logEvent(`INVITE from ${from}`);
  // INVITE with Replaces (RFC 3891), e.g. the transferee of an attended transfer: it takes over
  // the matching dialog, so it is answered at once and SIP.js ends the replaced session with BYE.
  if (invitation.replacee) {
    logEvent(`INVITE replaces the current call (${invitation.request.getHeader('Replaces')})`);
    pendingInvitation = invitation;
    trackSession(invitation, 'replaces');
    invitation.accept(outgoingSessionOptions()).catch((error) => logEvent(`accept (replaces) failed: ${error}`));
    return;
  }
  const busy = callState === 'ringing-in' || callState === 'calling' || callState === 'ringing-out' || callState === 'established';
  if (busy) {
    logEvent('busy: rejecting with 486');
    invitation.reject({ statusCode: 486 }).catch(() => undefined);
    return;
  }
  pendingInvitation = invitation;
  trackSession(invitation, 'in');
  if (autoAnswerEnabled) {
    logEvent('auto-answer');
    invitation.accept(outgoingSessionOptions()).catch((error) => logEvent(`accept failed: ${error}`));
    return;
  }
  invitation.progress().catch(() => undefined); // 180 Ringing
  setState('ringing-in');
}

function onMessage(/** @type {import('/sip.js/index.js').Message} */ message) {
  const request = message.request;
  const entry = {
    from: request.from.uri.toString(),
    body: request.body,
    contentType: request.getHeader('Content-Type') ?? '',
    callId: request.callId,
  };
  receivedMessages.push(entry);
  logEvent(`MESSAGE from ${entry.from} (${entry.body.length} chars)`);
  message.accept().catch((error) => logEvent(`accepting MESSAGE failed: ${error}`));
  for (const wake of messageWaiters) wake();
}

async function teardownUserAgent() {
  const oldAgent = userAgent;
  userAgent = undefined;
  registerer = undefined;
  if (!oldAgent) return;
  try {
    await oldAgent.stop();
  } catch (error) {
    logEvent(`stopping the old user agent failed: ${error}`);
  }
}

// ---- the API for tests (and the buttons) ----------------------------------------------------------

const api = {
  /**
   * Connects to the WebSocket server and registers. Resolves with the final response code;
   * rejects with "REGISTER failed: CODE REASON" when the server refuses (e.g. 403 for a wrong password).
   * `filterCandidates: false` turns off the page's loopback-only ICE filter (to check that the
   * proxy strips non-loopback candidates by itself, as it must for the extension under test).
   * @param {{ wsUrl: string, user: string, password: string, domain?: string, displayName?: string, filterCandidates?: boolean }} params
   */
  async register(params) {
    await teardownUserAgent();
    filterCandidates = params.filterCandidates ?? true;
    domain = params.domain ?? 'demo.local';
    const uri = UserAgent.makeURI(`sip:${params.user}@${domain}`);
    if (!uri) throw new Error(`bad SIP user/domain: ${params.user}@${domain}`);
    const agent = new UserAgent({
      uri,
      displayName: params.displayName ?? params.user,
      authorizationUsername: params.user,
      authorizationPassword: params.password,
      transportOptions: { server: params.wsUrl, connectionTimeout: 5 },
      sessionDescriptionHandlerFactory,
      // SIP.js would otherwise use a public STUN server; the tests must never leave loopback.
      sessionDescriptionHandlerFactoryOptions: {
        peerConnectionConfiguration: { iceServers: [] },
        iceGatheringTimeout: 2000,
      },
      // Accept INVITEs that replace a dialog (attended transfer, RFC 3891).
      sipExtensionReplaces: SIPExtension.Supported,
      logLevel: 'warn',
      logConnector: (level, category, _label, content) => {
        if (level === 'error' || level === 'warn') logEvent(`sip.js ${level} ${category}: ${content}`);
      },
      logBuiltinEnabled: false,
      delegate: {
        onInvite,
        onMessage,
        onConnect: () => logEvent('transport connected'),
        onDisconnect: (error) => {
          logEvent(`transport disconnected${error ? `: ${error.message}` : ''}`);
          render();
        },
      },
    });
    userAgent = agent;
    await agent.start();
    const reg = new Registerer(agent, { expires: 300 });
    registerer = reg;
    reg.stateChange.addListener((state) => {
      logEvent(`registration ${state}`);
      render();
    });
    const outcome = await new Promise((resolve) => {
      const timer = setTimeout(() => resolve({ ok: false, code: 408, reason: 'no answer from registrar' }), 10000);
      const done = (/** @type {{ ok: boolean, code: number, reason: string }} */ value) => {
        clearTimeout(timer);
        resolve(value);
      };
      reg
        .register({
          requestDelegate: {
            onAccept: (response) => done({ ok: true, code: response.message.statusCode, reason: response.message.reasonPhrase }),
            onReject: (response) => done({ ok: false, code: response.message.statusCode, reason: response.message.reasonPhrase }),
          },
        })
        .catch((error) => done({ ok: false, code: 0, reason: String(error) }));
    });
    logEvent(`REGISTER ${outcome.code} ${outcome.reason}`);
    render();
    if (!outcome.ok) {
      await teardownUserAgent();
      render();
      throw new Error(`REGISTER failed: ${outcome.code} ${outcome.reason}`);
    }
    return { code: outcome.code };
  },

  /** Unregisters and disconnects. */
  async unregister() {
    if (registerer) await registerer.unregister().catch(() => undefined);
    await teardownUserAgent();
    render();
  },

  /** "registered" once the registrar accepted us; "disconnected" when the WebSocket dropped; else "unregistered". */
  registration() {
    return registrationState();
  },

  /**
   * Calls a number ("1002", "2000") or a full URI ("sip:1002@demo.local"). Resolves once the
   * INVITE is sent; follow progress with state()/waitForState().
   * @param {string} target
   */
  async call(target) {
    if (!userAgent) throw new Error('not registered');
    if (['calling', 'ringing-out', 'ringing-in', 'established'].includes(callState)) {
      throw new Error(`already in a call (${callState})`);
    }
    const uri = UserAgent.makeURI(target.startsWith('sip:') ? target : `sip:${target}@${domain}`);
    if (!uri) throw new Error(`bad call target: ${target}`);
    const inviter = new Inviter(userAgent, uri, outgoingSessionOptions());
    trackSession(inviter, 'out');
    setState('calling');
    logEvent(`calling ${uri.toString()}`);
    await inviter.invite(outgoingInviteOptions('out'));
  },

  /** Answers the ringing incoming call. */
  async answer() {
    if (!pendingInvitation || callState !== 'ringing-in') throw new Error(`nothing to answer (${callState})`);
    await pendingInvitation.accept(outgoingSessionOptions());
  },

  /**
   * Rejects the ringing incoming call with a final status code (default 486 Busy Here).
   * @param {number} [code]
   */
  async decline(code = 486) {
    if (!pendingInvitation || callState !== 'ringing-in') throw new Error(`nothing to decline (${callState})`);
    await pendingInvitation.reject({ statusCode: code });
  },

  /** Cancels the outgoing call before it is answered. */
  async cancel() {
    if (!(session instanceof Inviter) || session.state !== SessionState.Establishing) {
      throw new Error(`nothing to cancel (${callState})`);
    }
    await session.cancel();
  },

  /** Ends whatever call there is: BYE when established, CANCEL when calling, reject when ringing. */
  async hangup() {
    if (!session) return;
    if (session.state === SessionState.Established) {
      await session.bye();
    } else if (session instanceof Inviter && session.state === SessionState.Establishing) {
      await session.cancel();
    } else if (session === pendingInvitation && session.state !== SessionState.Terminated) {
      await pendingInvitation.reject({ statusCode: 480 });
    }
  },

  /**
   * Puts the established call on hold (re-INVITE with a=sendonly) or takes it off hold. Resolves
   * when the re-INVITE got its 2xx; rejects when it was refused.
   * @param {boolean} on
   */
  async hold(on) {
    if (!session || session.state !== SessionState.Established) throw new Error(`no established call (${callState})`);
    const target = session;
    await new Promise((resolve, reject) => {
      target
        .invite({
          sessionDescriptionHandlerModifiers: on ? [Web.holdModifier] : [],
          requestDelegate: {
            onAccept: () => resolve(undefined),
            onReject: (response) => reject(new Error(`re-INVITE rejected: ${response.message.statusCode}`)),
          },
        })
        .catch(reject);
    });
    onHold = on;
    logEvent(on ? 'hold' : 'unhold');
    render();
  },

  /**
   * Blind transfer: sends REFER for the established call to `target` ("1003" or a SIP URI).
   * Resolves when the REFER is accepted (202); NOTIFYs about the new call show up in events().
   * @param {string} target
   */
  async refer(target) {
    if (!session || session.state !== SessionState.Established) throw new Error(`no established call (${callState})`);
    const uri = UserAgent.makeURI(target.startsWith('sip:') ? target : `sip:${target}@${domain}`);
    if (!uri) throw new Error(`bad transfer target: ${target}`);
    const current = session;
    await new Promise((resolve, reject) => {
      current
        .refer(uri, {
          requestDelegate: {
            onAccept: () => resolve(undefined),
            onReject: (response) => reject(new Error(`REFER rejected: ${response.message.statusCode}`)),
          },
          onNotify: (notification) => {
            logEvent(`NOTIFY ${notification.request.body.trim()}`);
            notification.accept().catch(() => undefined);
          },
        })
        .catch(reject);
    });
    logEvent(`REFER to ${uri.toString()} accepted`);
  },

  /**
   * Sends a text MESSAGE to "1001" or a full SIP URI. Resolves with the final answer's code and
   * reason (2xx or not): the test decides what it expects.
   * @param {string} target
   * @param {string} body
   * @param {string} [contentType]
   */
  async sendMessage(target, body, contentType = 'text/plain;charset=UTF-8') {
    if (!userAgent) throw new Error('not registered');
    const uri = UserAgent.makeURI(target.startsWith('sip:') ? target : `sip:${target}@${domain}`);
    if (!uri) throw new Error(`bad message target: ${target}`);
    const messager = new Messager(userAgent, uri, body, contentType);
    const outcome = await new Promise((resolve) => {
      messager
        .message({
          requestDelegate: {
            onAccept: (response) => resolve({ code: response.message.statusCode, reason: response.message.reasonPhrase }),
            onReject: (response) => resolve({ code: response.message.statusCode, reason: response.message.reasonPhrase }),
          },
        })
        .catch((error) => resolve({ code: 0, reason: String(error) }));
    });
    logEvent(`MESSAGE to ${uri.toString()}: ${outcome.code} ${outcome.reason}`);
    return outcome;
  },

  /** Text messages received so far, oldest first. */
  messages() {
    return receivedMessages.map((entry) => ({ ...entry }));
  },

  /**
   * Resolves with the received messages once there are at least `count`; rejects after timeoutMs.
   * @param {number} count
   * @param {number} [timeoutMs]
   */
  waitForMessages(count, timeoutMs = 10000) {
    return new Promise((resolve, reject) => {
      const check = () => {
        if (receivedMessages.length < count) return;
        cleanup();
        resolve(api.messages());
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${count} message(s); have ${receivedMessages.length}`));
      }, timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        messageWaiters.delete(check);
      };
      messageWaiters.add(check);
      check();
    });
  },

  /** @returns {CallState} */
  state() {
    return callState;
  },

  /**
   * Resolves when state() equals `wanted`; rejects after timeoutMs with the current state.
   * @param {CallState} wanted
   * @param {number} [timeoutMs]
   */
  waitForState(wanted, timeoutMs = 10000) {
    return new Promise((resolve, reject) => {
      const check = () => {
        if (callState === wanted) {
          cleanup();
          resolve(callState);
          return true;
        }
        // Fail fast when the call ends while waiting for something else (not when it had already
        // ended before the wait began: the next call may be about to come in).
        if (callState === 'terminated' && previousState !== callState) {
          cleanup();
          reject(new Error(`call ended while waiting for state ${wanted}; last events:\n${eventLog.slice(-8).join('\n')}`));
          return true;
        }
        previousState = callState;
        return false;
      };
      /** @type {string} */
      let previousState = callState;
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`timed out after ${timeoutMs} ms waiting for state ${wanted}; state is ${callState}`));
      }, timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        stateWaiters.delete(check);
      };
      stateWaiters.add(check);
      check();
    });
  },

  /** Everything that happened, oldest first, each line "ISO-timestamp text". */
  events() {
    return [...eventLog];
  },

  /** Audio RTP counters of the current call (or the last one, as last seen). */
  async stats() {
    return pollStats().catch(() => lastStats);
  },

  /** @param {boolean} enabled */
  autoAnswer(enabled) {
    autoAnswerEnabled = Boolean(enabled);
    /** @type {HTMLInputElement} */ ($('autoAnswer')).checked = autoAnswerEnabled;
    return autoAnswerEnabled;
  },

  /** Raw SIP text of the last INVITE received (initial or re-INVITE); "" if none. */
  lastInvite() {
    return lastInviteText;
  },

  /**
   * Answer REFERs with `code` (e.g. 403, 405, 501) instead of following them; 0 follows them again.
   * @param {number} code
   */
  refuseRefer(code) {
    referRefusalCode = code;
    return code;
  },

  /**
   * Answer INFOs with `code` (e.g. 405, 501) instead of 200; 0 accepts them again.
   * @param {number} code
   */
  refuseInfo(code) {
    infoRefusalCode = code;
    return code;
  },

  /** DTMF digits received in SIP INFO, oldest first. */
  infoDtmf() {
    return receivedInfoDtmf.map((entry) => ({ ...entry }));
  },

  /**
   * Resolves with the INFO digits once at least `count` arrived; rejects after timeoutMs.
   * @param {number} count
   * @param {number} [timeoutMs]
   */
  waitForInfoDtmf(count, timeoutMs = 10000) {
    return new Promise((resolve, reject) => {
      const check = () => {
        if (receivedInfoDtmf.length < count) return;
        cleanup();
        resolve(api.infoDtmf());
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${count} INFO digit(s); have ${receivedInfoDtmf.length}`));
      }, timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        dtmfWaiters.delete(check);
      };
      dtmfWaiters.add(check);
      check();
    });
  },

  /** Raw SIP text of the last REFER received; "" if none. */
  lastRefer() {
    return lastReferText;
  },

  /** The last local and remote SDP (after the page's loopback filter) and both before it. */
  sdp() {
    return { ...lastSdp };
  },
};

// the page's public test API (tests wait for it to exist)
window.farEnd = api;

// ---- the visible UI -------------------------------------------------------------------------------

function formValue(/** @type {string} */ id) {
  return /** @type {HTMLInputElement} */ ($(id)).value.trim();
}

function runFromUi(/** @type {() => Promise<unknown>} */ action) {
  action().catch((error) => logEvent(`error: ${error.message ?? error}`));
}

function setupUi() {
  const params = new URLSearchParams(window.location.search);
  const defaults = {
    ws: params.get('ws') ?? '',
    user: params.get('user') ?? '',
    password: params.get('password') ?? '',
    domain: params.get('domain') ?? 'demo.local',
    name: params.get('name') ?? '',
  };
  for (const [id, value] of Object.entries(defaults)) {
    /** @type {HTMLInputElement} */ ($(id)).value = value;
  }
  $('register').addEventListener('click', () =>
    runFromUi(() =>
      api.register({
        wsUrl: formValue('ws'),
        user: formValue('user'),
        password: formValue('password'),
        domain: formValue('domain'),
        displayName: formValue('name') || undefined,
      }),
    ),
  );
  $('callButton').addEventListener('click', () => runFromUi(() => api.call(formValue('target'))));
  $('answer').addEventListener('click', () => runFromUi(() => api.answer()));
  $('hangup').addEventListener('click', () => runFromUi(() => api.hangup()));
  $('holdButton').addEventListener('click', () => runFromUi(() => api.hold(!onHold)));
  $('autoAnswer').addEventListener('change', (event) =>
    api.autoAnswer(/** @type {HTMLInputElement} */ (event.target).checked),
  );
  if (params.get('autoAnswer') === '1') api.autoAnswer(true);
  render();
  if (params.get('register') === '1' && defaults.ws && defaults.user) $('register').click();
}

setupUi();
logEvent('far end ready');
