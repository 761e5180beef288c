/**
 * A real Kamailio 5.6 registrar/proxy for end-to-end tests: SIP over WebSocket for browsers, SIP
 * over UDP for sipp/baresip, digest authentication with static users, an in-memory location
 * table, and (optionally) rtpengine bridging between WebRTC and plain RTP.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  LOOPBACK,
  OutputLog,
  freeTcpPort,
  freeUdpPort,
  makeTempDir,
  removeDir,
  startDaemon,
  tcpPortAccepts,
  udpPortBound,
  udpRequest,
  waitUntil,
  type Daemon,
} from './process.ts';

/** A SIP account Kamailio accepts (digest authentication, static password). */
export interface SipUser {
  /** SIP user part and digest username, e.g. "1001". */
  user: string;
  /** Digest password. */
  password: string;
}

/** Where Kamailio finds the rtpengine control (ng) socket. */
export interface RtpengineControl {
  /** "udp:127.0.0.1:PORT", as Kamailio's rtpengine module expects it. */
  ngAddress: string;
}

/** Options for {@link startKamailio}. */
export interface KamailioOptions {
  /** Accounts that may register and call; default 1001..1005 with passwords pw1001..pw1005. */
  users?: SipUser[];
  /** SIP domain and digest realm; default "demo.local". */
  domain?: string;
  /**
   * Extensions routed without registration to a fixed SIP URI on loopback, e.g.
   * `{ '2000': 'sip:127.0.0.1:5070' }` for a sipp echo UAS. Requests coming from such a target's
   * host:port over UDP are trusted (no digest challenge), so sipp/baresip can call users too.
   */
  staticRoutes?: Record<string, string>;
  /** When given, calls where exactly one side is WebRTC are anchored in this rtpengine. */
  rtpengine?: RtpengineControl;
  /** Kamailio log level (debug=); default 2 (info). */
  debugLevel?: number;
  /** Milliseconds to wait for the server to be ready; default 10000. */
  startTimeoutMs?: number;
}

/** A running Kamailio, see {@link startKamailio}. */
export interface KamailioServer {
  /** WebSocket URL for SIP.js, e.g. ws://127.0.0.1:40123. */
  readonly wsUrl: string;
  /** The WebSocket (TCP) port. */
  readonly wsPort: number;
  /** SIP over UDP port on 127.0.0.1 (for sipp/baresip). */
  readonly udpPort: number;
  /** SIP domain (users register as sip:USER@domain). */
  readonly domain: string;
  /** Digest realm. */
  readonly realm: string;
  /** Accounts configured. */
  readonly users: readonly SipUser[];
  /** The directory holding kamailio.cfg (removed by stop()). */
  readonly dir: string;
  /** Stops the server: SIGTERM, then SIGKILL; idempotent. Removes the temp dir. */
  stop(): Promise<void>;
  /** Stops the process and starts a new one on the same ports (location table is lost). */
  restart(): Promise<void>;
  /**
   * Number of REGISTER requests Kamailio has received (each challenge round counts) since
   * startKamailio(), across restarts; only those whose To user is `user` when given.
   */
  registerCount(user?: string): number;
  /** Kamailio's whole output so far (all processes, across restarts). */
  log(): string;
  /**
   * Resolves with the first match of `re` (not /g, so groups are kept) in log() from character
   * offset `since` (default 0);
   * pass `server.log().length` to wait only for new output.
   */
  waitForLog(re: RegExp, timeoutMs?: number, since?: number): Promise<RegExpMatchArray>;
}

/** The accounts used when none are given: 1001..1005 with passwords pw1001..pw1005. */
export const DEFAULT_USERS: readonly SipUser[] = ['1001', '1002', '1003', '1004', '1005'].map((user) => ({
  user,
  password: `pw${user}`,
}));

/** Where Debian's kamailio package keeps its modules. */
const MODULE_PATH = '/usr/lib/x86_64-linux-gnu/kamailio/modules/';
const KAMAILIO_BIN = '/usr/sbin/kamailio';

/** Values go into the cfg as string literals, so they must not be able to break out of one. */
const SAFE_TOKEN = /^[A-Za-z0-9._~+-]+$/;

function assertSafe(kind: string, value: string): void {
  if (!SAFE_TOKEN.test(value)) {
    throw new Error(`${kind} ${JSON.stringify(value)} may only contain letters, digits and . _ ~ + -`);
  }
}

/** One static route, parsed and checked (loopback targets only). */
export interface StaticTarget {
  extension: string;
  uri: string;
  host: string;
  port: number;
}

function parseStaticRoutes(routes: Record<string, string>): StaticTarget[] {
  return Object.entries(routes).map(([extension, uri]) => {
    assertSafe('static route extension', extension);
    // Only loopback targets: the tests must never send SIP anywhere else.
    const match = /^sip:(?:[A-Za-z0-9._~+-]+@)?127\.0\.0\.1:(\d{1,5})$/.exec(uri);
    if (!match?.[1]) throw new Error(`static route target must look like sip:127.0.0.1:PORT, got ${uri}`);
    return { extension, uri, host: LOOPBACK, port: Number(match[1]) };
  });
}

/** Everything {@link buildKamailioConfig} needs. */
export interface KamailioConfigInput {
  wsPort: number;
  udpPort: number;
  domain: string;
  users: readonly SipUser[];
  statics: readonly StaticTarget[];
  rtpengine: RtpengineControl | undefined;
  debugLevel: number;
}

/**
 * An SDP ICE candidate line up to its address, when the address does not start with "127."
 * (POSIX ERE has no negative look-ahead, hence the spelled-out alternatives).
 */
const NON_LOOPBACK_CANDIDATE =
  'a=candidate:[^ ]+ [0-9]+ [A-Za-z]+ [0-9]+ ([^1 ][^ ]*|1[^2 ][^ ]*|12[^7 ][^ ]*|127[^. ][^ ]*) ';

/** Builds kamailio.cfg. Exported for inspection in tests and for debugging by hand. */
export function buildKamailioConfig(input: KamailioConfigInput): string {
  const { wsPort, udpPort, domain, users, statics, rtpengine, debugLevel } = input;
  const passwordLookup = users
    .map(({ user, password }) => `\tif ($au == "${user}") { $var(pw) = "${password}"; }`)
    .join('\n');
  const knownLookup = users.map(({ user }) => `\tif ($rU == "${user}") { $var(known) = 1; }`).join('\n');
  const staticRouting = statics
    .map(
      ({ extension, uri }) =>
        `\tif ($rU == "${extension}") {\n` +
        `\t\txlog("L_INFO", "HARNESS-STATIC $rm $rU -> ${uri}\\n");\n` +
        `\t\t$du = "${uri}";\n` +
        `\t\troute(RELAY);\n` +
        `\t\texit;\n` +
        `\t}`,
    )
    .join('\n');
  const trustedSources = statics
    .map(({ host, port }) => `\tif ($proto == "udp" && $si == "${host}" && $sp == ${port}) { return(1); }`)
    .join('\n');

  return `#!KAMAILIO
# Generated by tests/e2e/harness/kamailio.ts for one test run; do not edit by hand.
${rtpengine ? '#!define WITH_RTPENGINE' : '# rtpengine bridging disabled (no rtpengine passed in options)'}

# message flag: the request came in over WebSocket (the caller side is WebRTC)
#!define FLT_SRCWS 5

####### Global parameters #########
debug=${debugLevel}
log_stderror=yes
fork=yes
children=2
# Never resolve names: only loopback exists, and nothing here needs DNS.
dns=no
rev_dns=no
dns_try_ipv6=no
use_dns_cache=off
auto_aliases=no
listen=udp:${LOOPBACK}:${udpPort}
listen=tcp:${LOOPBACK}:${wsPort}
alias="${domain}"
# xhttp/websocket: HTTP requests without Content-Length (the WS upgrade GET)
tcp_accept_no_cl=yes
tcp_connection_lifetime=3605
enable_sctp=no
enable_tls=no
server_header="Server: softphone-test-kamailio"
user_agent_header="User-Agent: softphone-test-kamailio"
mpath="${MODULE_PATH}"

####### Modules #########
loadmodule "kex.so"
loadmodule "tm.so"
loadmodule "tmx.so"
loadmodule "sl.so"
loadmodule "rr.so"
loadmodule "pv.so"
loadmodule "maxfwd.so"
loadmodule "textops.so"
loadmodule "textopsx.so"
loadmodule "siputils.so"
loadmodule "xlog.so"
loadmodule "sanity.so"
loadmodule "usrloc.so"
loadmodule "registrar.so"
loadmodule "nathelper.so"
loadmodule "auth.so"
loadmodule "xhttp.so"
loadmodule "websocket.so"
#!ifdef WITH_RTPENGINE
loadmodule "rtpengine.so"
#!endif

modparam("tm", "failure_reply_mode", 3)
modparam("tm", "fr_timer", 30000)
modparam("tm", "fr_inv_timer", 120000)
modparam("rr", "enable_full_lr", 0)
modparam("rr", "append_fromtag", 1)
modparam("registrar", "method_filtering", 1)
modparam("registrar", "max_expires", 3600)
modparam("registrar", "received_avp", "$avp(RECEIVED)")
# In memory only: a restart starts with an empty location table, like a real server crash.
modparam("usrloc", "db_mode", 0)
# Without these a reconnected WS client leaves a stale contact behind and forwarding fails with
# "TCP/TLS connection ... for WebSocket could not be found".
modparam("usrloc", "handle_lost_tcp", 1)
modparam("usrloc", "close_expired_tcp", 1)
modparam("nathelper", "received_avp", "$avp(RECEIVED)")
modparam("nathelper", "natping_interval", 0)
modparam("auth", "nonce_expire", 300)
#!ifdef WITH_RTPENGINE
modparam("rtpengine", "rtpengine_sock", "${rtpengine?.ngAddress ?? ''}")
#!endif

####### Routing #########
request_route {
	route(REQINIT);
	if ($proto == "ws" || $proto == "wss") {
		setflag(FLT_SRCWS);
	}
	route(NATDETECT);

	if (is_method("CANCEL")) {
		if (t_check_trans()) {
#!ifdef WITH_RTPENGINE
			rtpengine_delete();
#!endif
			route(RELAY);
		}
		exit;
	}

	# absorb retransmissions
	if (!is_method("ACK")) {
		if (t_precheck_trans()) {
			t_check_trans();
			exit;
		}
		t_check_trans();
	}

	route(WITHINDLG);

	# initial requests only from here on
	remove_hf("Route");
	# before record_route(): msg_apply_changes() refuses to run after it
	route(LOOPBACK_SDP);
	if (is_method("INVITE|SUBSCRIBE|REFER")) {
		record_route();
	}

	if (is_method("REGISTER")) {
		route(REGISTRAR);
	}

	if ($rU == $null) {
		sl_send_reply("484", "Address Incomplete");
		exit;
	}

	route(AUTH);
	route(CONTACT_ALIAS);
	route(STATIC);
	route(LOCATION);
}

# An initial request to a Contact this proxy rewrote for a WebSocket client (add_contact_alias), such
# as the INVITE with Replaces of an attended transfer: SIP.js puts the target's Contact in the
# Refer-To (RFC 5589 §7). The alias names the client's connection, so send it down that connection.
route[CONTACT_ALIAS] {
	if ($ru =~ ";alias=") {
		xlog("L_INFO", "HARNESS-CONTACT-ALIAS $rm $ru\\n");
		handle_ruri_alias();
		route(RELAY);
		exit;
	}
}

route[REQINIT] {
	if (!mf_process_maxfwd_header("10")) {
		sl_send_reply("483", "Too Many Hops");
		exit;
	}
	# readiness probe from the harness and client keepalives
	if (is_method("OPTIONS") && uri == myself && $rU == $null) {
		sl_send_reply("200", "Keepalive");
		exit;
	}
	if (!sanity_check("17895", "7")) {
		xlog("L_WARN", "HARNESS-MALFORMED from $si:$sp\\n");
		exit;
	}
}

# WebSocket clients put an unroutable "*.invalid;transport=ws" host in Contact: remember the real
# source (REGISTER) or add an alias parameter with it (other requests).
route[NATDETECT] {
	force_rport();
	if (nat_uac_test("64")) {
		if (is_method("REGISTER")) {
			fix_nated_register();
		} else if (is_first_hop()) {
			add_contact_alias();
		}
	}
}

route[WITHINDLG] {
	if (!has_totag()) {
		return;
	}
	if (loose_route()) {
		if (!isdsturiset()) {
			handle_ruri_alias();
		}
		route(LOOPBACK_SDP);
#!ifdef WITH_RTPENGINE
		if (is_method("BYE")) {
			rtpengine_delete();
		} else if (is_method("INVITE|UPDATE")) {
			route(RTPE_OFFER);
		} else if (is_method("ACK")) {
			route(RTPE_ACK);
		}
#!endif
		route(RELAY);
		exit;
	}
	if (is_method("ACK")) {
		# ACK for a negative reply: tm absorbs it
		if (t_check_trans()) {
			route(RELAY);
		}
		exit;
	}
	sl_send_reply("404", "Not here");
	exit;
}

route[REGISTRAR] {
	xlog("L_NOTICE", "HARNESS-REGISTER user=$tU expires=$hdr(Expires) from=$si:$sp/$proto\\n");
	route(CHECKAUTH);
	if (!save("location")) {
		xlog("L_WARN", "HARNESS-REGISTER-FAILED user=$tU\\n");
		sl_reply_error();
	} else {
		xlog("L_NOTICE", "HARNESS-REGISTERED user=$tU\\n");
	}
	exit;
}

# Out-of-dialog requests need digest credentials unless they come from a static route target.
route[AUTH] {
	route(TRUSTED);
	if ($retcode == 1) {
		return;
	}
	route(CHECKAUTH);
}

route[TRUSTED] {
${trustedSources || '\t# no static route targets'}
	return(-1);
}

route[CHECKAUTH] {
	if (is_method("REGISTER")) {
		$var(hascred) = is_present_hf("Authorization");
	} else {
		$var(hascred) = is_present_hf("Proxy-Authorization");
	}
	if ($var(hascred) != 1) {
		xlog("L_INFO", "HARNESS-CHALLENGE $rm from $fU\\n");
		auth_challenge("${domain}", "1");
		exit;
	}
	$var(pw) = "";
${passwordLookup}
	if ($var(pw) == "") {
		xlog("L_NOTICE", "HARNESS-AUTH-FAIL $rm user=$au reason=unknown-user\\n");
		sl_send_reply("403", "Forbidden");
		exit;
	}
	$var(rc) = pv_auth_check("${domain}", "$var(pw)", "0", "1");
	if ($var(rc) < 0) {
		# As Kamailio's default configuration does: every failed check (wrong password, a nonce from
		# before a restart, another realm) is answered with a fresh challenge. A client that answers
		# that challenge wrongly again gets a second 401 and must give up.
		xlog("L_NOTICE", "HARNESS-AUTH-FAIL $rm user=$au rc=$var(rc)\\n");
		auth_challenge("${domain}", "1");
		exit;
	}
	consume_credentials();
}

route[STATIC] {
${staticRouting || '\t# no static routes'}
	return;
}

route[LOCATION] {
	if (!(uri == myself)) {
		# never relay to other domains (it would need DNS and leave loopback)
		sl_send_reply("403", "Relaying Forbidden");
		exit;
	}
	if (!lookup("location")) {
		$var(rc) = $rc;
		$var(known) = 0;
${knownLookup}
		t_newtran();
		if ($var(rc) == -2) {
			t_reply("405", "Method Not Allowed");
		} else if ($var(known) == 1) {
			xlog("L_INFO", "HARNESS-NOT-REGISTERED $rU\\n");
			t_reply("480", "Temporarily Unavailable");
		} else {
			t_reply("404", "Not Found");
		}
		exit;
	}
	route(RELAY);
	exit;
}

route[RELAY] {
	if (is_method("INVITE|BYE|SUBSCRIBE|UPDATE|REFER|ACK")) {
		if (!t_is_set("branch_route")) {
			t_on_branch("MANAGE_BRANCH");
		}
	}
	if (is_method("INVITE|BYE|SUBSCRIBE|UPDATE|REFER")) {
		if (!t_is_set("onreply_route")) {
			t_on_reply("MANAGE_REPLY");
		}
	}
	if (is_method("INVITE")) {
		if (!t_is_set("failure_route")) {
			t_on_failure("MANAGE_FAILURE");
		}
	}
	if (!t_relay()) {
		sl_reply_error();
	}
	exit;
}

branch_route[MANAGE_BRANCH] {
	xlog("L_INFO", "HARNESS-BRANCH $rm ru=$ru du=$du\\n");
#!ifdef WITH_RTPENGINE
	if (!has_totag()) {
		route(RTPE_OFFER);
	}
#!endif
}

onreply_route[MANAGE_REPLY] {
	# replies from WebSocket clients carry the same unroutable Contact
	if (nat_uac_test("64")) {
		add_contact_alias();
	}
	route(LOOPBACK_SDP);
#!ifdef WITH_RTPENGINE
	if (has_body("application/sdp") && status =~ "^(18[03]|2[0-9][0-9])$") {
		route(RTPE_REPLY);
	}
#!endif
}

failure_route[MANAGE_FAILURE] {
	if (t_is_canceled()) {
		exit;
	}
#!ifdef WITH_RTPENGINE
	rtpengine_delete();
#!endif
}

# Browsers also offer ICE candidates on the machine's other interfaces (IPv4 and IPv6). Strip every
# candidate whose address does not start with "127." from SDP passing through, so no peer and no
# rtpengine is ever told to send media anywhere but loopback. msg_apply_changes() makes the edit
# visible to rtpengine_offer/answer, which read the message buffer.
route[LOOPBACK_SDP] {
	if (!has_body("application/sdp")) {
		return;
	}
	if (search_body("${NON_LOOPBACK_CANDIDATE}")) {
		subst_body("/${NON_LOOPBACK_CANDIDATE}[^\\r\\n]*\\r\\n//g");
		msg_apply_changes();
		xlog("L_INFO", "HARNESS-SDP-FILTERED $rm $ci\\n");
	}
}

event_route[xhttp:request] {
	set_reply_close();
	set_reply_no_connect();
	if ($hdr(Upgrade) =~ "websocket" && $hdr(Connection) =~ "Upgrade" && $rm =~ "GET") {
		if (ws_handle_handshake()) {
			exit;
		}
	}
	xhttp_reply("404", "Not Found", "text/plain", "SIP over WebSocket only\\n");
}

event_route[websocket:closed] {
	xlog("L_INFO", "HARNESS-WS-CLOSED $si:$sp\\n");
}

#!ifdef WITH_RTPENGINE
# rtpengine anchors media only when exactly one side is WebRTC: a browser cannot talk plain RTP
# (it needs ICE + DTLS-SRTP, RTP/SAVPF) and sipp/baresip cannot talk WebRTC.
route[DSTWS] {
	if ($du =~ "transport=ws" || (!isdsturiset() && $ru =~ "transport=ws")) {
		return(1);
	}
	return(-1);
}

route[RTPE_OFFER] {
	if (!has_body("application/sdp")) {
		return;
	}
	route(DSTWS);
	$var(dstws) = $retcode;
	if (isflagset(FLT_SRCWS) && $var(dstws) != 1) {
		xlog("L_INFO", "HARNESS-RTPENGINE offer webrtc->rtp $ci\\n");
		rtpengine_offer("trust-address replace-origin replace-session-connection ICE=remove DTLS=off SDES-off RTP/AVP rtcp-mux-demux");
	} else if (!isflagset(FLT_SRCWS) && $var(dstws) == 1) {
		xlog("L_INFO", "HARNESS-RTPENGINE offer rtp->webrtc $ci\\n");
		rtpengine_offer("trust-address replace-origin replace-session-connection ICE=force SDES-off RTP/SAVPF rtcp-mux-offer generate-mid");
	}
}

# The answer travels back to the offerer: convert it to what the offerer speaks.
route[RTPE_REPLY] {
	if ($proto == "ws" || $proto == "wss") {
		$var(fromws) = 1;
	} else {
		$var(fromws) = 0;
	}
	if (isflagset(FLT_SRCWS) && $var(fromws) == 0) {
		xlog("L_INFO", "HARNESS-RTPENGINE answer rtp->webrtc $ci\\n");
		rtpengine_answer("trust-address replace-origin replace-session-connection ICE=force SDES-off RTP/SAVPF");
	} else if (!isflagset(FLT_SRCWS) && $var(fromws) == 1) {
		xlog("L_INFO", "HARNESS-RTPENGINE answer webrtc->rtp $ci\\n");
		rtpengine_answer("trust-address replace-origin replace-session-connection ICE=remove DTLS=off RTP/AVP rtcp-mux-demux");
	}
}

# late offer: the answer comes in the ACK
route[RTPE_ACK] {
	if (!has_body("application/sdp")) {
		return;
	}
	route(DSTWS);
	$var(dstws) = $retcode;
	if (isflagset(FLT_SRCWS) && $var(dstws) != 1) {
		rtpengine_answer("trust-address replace-origin replace-session-connection ICE=remove DTLS=off RTP/AVP rtcp-mux-demux");
	} else if (!isflagset(FLT_SRCWS) && $var(dstws) == 1) {
		rtpengine_answer("trust-address replace-origin replace-session-connection ICE=force SDES-off RTP/SAVPF");
	}
}
#!endif
`;
}

/** A SIP OPTIONS ping; Kamailio answers 200 "Keepalive" once its UDP workers run. */
function optionsPing(udpPort: number): string {
  const branch = `z9hG4bK${Math.random().toString(36).slice(2)}`;
  const tag = Math.random().toString(36).slice(2);
  return [
    `OPTIONS sip:${LOOPBACK}:${udpPort} SIP/2.0`,
    `Via: SIP/2.0/UDP ${LOOPBACK}:9;branch=${branch};rport`,
    'Max-Forwards: 70',
    `From: <sip:probe@${LOOPBACK}>;tag=${tag}`,
    `To: <sip:${LOOPBACK}:${udpPort}>`,
    `Call-ID: ${branch}@harness`,
    'CSeq: 1 OPTIONS',
    'Content-Length: 0',
    '',
    '',
  ].join('\r\n');
}

/**
 * Starts Kamailio in the foreground (`kamailio -DD -E -f cfg`) on 127.0.0.1 with a free WebSocket
 * port and a free UDP port, and resolves once both answer: the WS port accepts TCP connections and
 * a SIP OPTIONS over UDP gets its 200.
 *
 * @example
 * const kam = await startKamailio();
 * // SIP.js: server kam.wsUrl, uri sip:1001@demo.local, password pw1001
 * await kam.stop();
 */
export async function startKamailio(options: KamailioOptions = {}): Promise<KamailioServer> {
  const domain = options.domain ?? 'demo.local';
  const users = options.users ?? DEFAULT_USERS.map((entry) => ({ ...entry }));
  assertSafe('domain', domain);
  for (const { user, password } of users) {
    assertSafe('user', user);
    assertSafe('password', password);
  }
  const statics = parseStaticRoutes(options.staticRoutes ?? {});
  if (options.rtpengine && !/^udp:127\.0\.0\.1:\d{1,5}$/.test(options.rtpengine.ngAddress)) {
    throw new Error(`rtpengine ngAddress must be udp:127.0.0.1:PORT, got ${options.rtpengine.ngAddress}`);
  }
  const startTimeoutMs = options.startTimeoutMs ?? 10_000;
  const dir = await makeTempDir('harness-kamailio');
  const wsPort = await freeTcpPort();
  const udpPort = await freeUdpPort();
  const cfgPath = join(dir, 'kamailio.cfg');
  await writeFile(
    cfgPath,
    buildKamailioConfig({
      wsPort,
      udpPort,
      domain,
      users,
      statics,
      rtpengine: options.rtpengine,
      debugLevel: options.debugLevel ?? 2,
    }),
  );

  const output = new OutputLog();
  let daemon: Daemon | undefined;
  let stopping: Promise<void> | undefined;

  const launch = async (): Promise<void> => {
    const started = startDaemon({
      name: 'kamailio',
      command: KAMAILIO_BIN,
      // -DD: stay in the foreground but still fork workers; -E: log to stderr; -Y: runtime dir
      // in our temp dir instead of /run/kamailio (which may not exist and is shared).
      args: ['-DD', '-E', '-Y', dir, '-f', cfgPath],
      cwd: dir,
      onOutput: (chunk) => output.append(chunk),
    });
    daemon = started;
    try {
      await waitUntil(
        async () => {
          if (started.exited()) throw new Error(`kamailio exited during start:\n${output.text().slice(-4000)}`);
          return (await tcpPortAccepts(wsPort)) && (await udpPortBound(udpPort));
        },
        startTimeoutMs,
        'kamailio to listen',
      );
      await waitUntil(
        async () => (await udpRequest(udpPort, optionsPing(udpPort), 300))?.startsWith('SIP/2.0 200') ?? false,
        startTimeoutMs,
        'kamailio to answer SIP OPTIONS',
      );
    } catch (error) {
      await started.stop(500);
      throw error;
    }
  };

  try {
    await launch();
  } catch (error) {
    await removeDir(dir);
    throw error;
  }

  const server: KamailioServer = {
    wsUrl: `ws://${LOOPBACK}:${wsPort}`,
    wsPort,
    udpPort,
    domain,
    realm: domain,
    users,
    dir,
    stop() {
      // the same promise for every caller, so a second stop() also waits for the first
      stopping ??= (async () => {
        await daemon?.stop();
        await removeDir(dir);
      })();
      return stopping;
    },
    async restart() {
      if (stopping) throw new Error('kamailio was stopped; start a new one');
      output.append('\n[harness] ---- kamailio restart ----\n');
      await daemon?.stop();
      await launch();
    },
    registerCount(user?: string) {
      let count = 0;
      for (const match of output.text().matchAll(/HARNESS-REGISTER user=(\S*)/g)) {
        if (user === undefined || match[1] === user) count += 1;
      }
      return count;
    },
    log: () => output.text(),
    waitForLog: (re, timeoutMs = 5000, since = 0) => output.waitFor(re, timeoutMs, since),
  };
  return server;
}
