/**
 * The signal catalogue of the fingerprint data: what can be observed in one request. Families
 * (fingerprints.ts) give these signals weights; a signal's id is what a label reports.
 *
 * Facts come from the tools' source code and from packets captured from the real tools in a lab of
 * network namespaces (test/fixtures/scanners/README.md says which); a `note` names the source.
 * Ids: `<field>:<what>`. Keep them stable: they are stored with events.
 */
import type { SignalSpec } from './fingerprint-schema.js';

const RFC3261_HOSTS = ['atlanta.com', 'biloxi.com', 'chicago.com'];

/** Exact Allow lists, as the tools write them (odd spacing included: that is the fingerprint). */
const NMAP_NSE_ALLOW = 'PRACK, INVITE ,ACK, BYE, CANCEL, UPDATE, SUBSCRIBE,NOTIFY, REFER, MESSAGE, OPTIONS';
const SIPPTS_ALLOW = 'INVITE, REGISTER, ACK, CANCEL, BYE, NOTIFY, REFER, OPTIONS, INFO, SUBSCRIBE, UPDATE, PRACK, MESSAGE';

/**
 * Destinations that honeypot reports and carriers' fraud lists show toll-fraud dialers calling most
 * (International Revenue Share Fraud): Palestine / Israel mobile (+970, +972: "00972 59…"), satellite and
 * international networks (+870, +881, +882, +883), and small island or conflict-area ranges.
 */
const HIGH_RISK_COUNTRY_CODES = ['972', '970', '870', '881', '882', '883', '247', '290', '682', '690', '252', '235', '53'];

export const SIGNALS: readonly SignalSpec[] = [
  // ---- User-Agent: decisive when a tool names itself, weak when it poses as a real product ----
  { id: 'ua:friendly-scanner', field: 'user-agent', test: 'equals', value: 'friendly-scanner', note: "SIPVicious's default (svhelper.py makeRequest useragent)" },
  { id: 'ua:sipvicious', field: 'user-agent', test: 'prefix', value: 'sipvicious', note: 'SIPVicious forks that name the tool' },
  { id: 'ua:pplsip', field: 'user-agent', test: 'equals', value: 'pplsip', note: "SIPPTS's default User-Agent (sippts lib/functions.py)" },
  { id: 'ua:sippts', field: 'user-agent', test: 'prefix', value: 'sippts', note: 'SIPPTS naming itself' },
  { id: 'ua:nmap-nse', field: 'user-agent', test: 'equals', value: 'Nmap NSE', note: "Nmap's nselib/sip.lua default (captured: sip-methods, sip-enum-users, sip-brute)" },
  { id: 'ua:ekiga-bare', field: 'user-agent', test: 'equals', value: 'Ekiga', note: 'Nmap sip-call-spoof sends "Ekiga" without a version (captured); real Ekiga sends Ekiga/<version>' },
  { id: 'ua:sipcli', field: 'user-agent', test: 'prefix', value: 'sipcli', note: 'sipcli (e.g. sipcli/v1.8), listed by scanner blocklists' },
  { id: 'ua:vaxsip', field: 'user-agent', test: 'prefix', value: 'VaxSIPUserAgent', note: "VaxVoIP SDK's default (VaxSIPUserAgent/3.1), used by dialers" },
  { id: 'ua:portsip-sdk', field: 'user-agent', test: 'prefix', value: 'PortSIP VoIP SDK', note: "PortSIP SDK's default User-Agent, used by dialers" },
  { id: 'ua:sundayddr', field: 'user-agent', test: 'prefix', value: 'sundayddr', note: 'sundayddr scanner, listed by scanner blocklists' },
  { id: 'ua:iwar', field: 'user-agent', test: 'prefix', value: 'iWar', note: 'iWar war dialer (SIP mode), listed by scanner blocklists' },
  { id: 'ua:sipsak', field: 'user-agent', test: 'prefix', value: 'sipsak', note: 'sipsak (captured: sipsak 0.9.8.1)' },
  { id: 'ua:cisco-sipgateway', field: 'user-agent', test: 'prefix', value: 'Cisco-SIPGateway', note: 'toll-fraud dialers pose as Cisco IOS gateways (real gateways send it too)' },
  { id: 'ua:asterisk-pbx-bare', field: 'user-agent', test: 'equals', value: 'Asterisk PBX', note: 'dialers pose as Asterisk without a version; real Asterisk appends its version' },
  { id: 'ua:asterisk-pbx', field: 'user-agent', test: 'prefix', value: 'Asterisk PBX', note: 'Asterisk, real or posed' },
  { id: 'ua:eyebeam', field: 'user-agent', test: 'prefix', value: 'eyeBeam', note: "dialers pose as CounterPath's eyeBeam (real ones exist: weak)" },
  { id: 'ua:ghostguard-probe', field: 'user-agent', test: 'equals', value: 'ghostguard-probe', note: "ghostguard's own self-test (ghostguard probe, the dashboard's \"Am I protected?\"): src/probe/probe-messages.ts PROBE_USER_AGENT" },
  { id: 'ua:absent', field: 'user-agent', test: 'absent', note: 'no User-Agent: svmap -c and many derivatives; real phones and PBXs almost always send one' },
  { id: 'ua:equals-from-user', field: 'user-agent-is-from-user', test: 'true', note: 'Metasploit sets the User-Agent and the From user to the same random word' },

  // ---- From / To ----
  { id: 'from-host:1.1.1.1', field: 'from-host', test: 'equals', value: '1.1.1.1', note: 'SIPVicious svmap: From "sipvicious"<sip:100@1.1.1.1>, kept by its derivatives' },
  { id: 'from-display:sipvicious', field: 'from-display', test: 'equals', value: 'sipvicious', note: "svmap's default --fromname" },
  { id: 'from-display:ghostguard-probe', field: 'from-display', test: 'equals', value: 'ghostguard-probe', note: "ghostguard's own self-test: From \"ghostguard-probe\"<sip:100@...> (src/probe/probe-messages.ts)" },
  { id: 'from-display:pbx', field: 'from-display', test: 'equals', value: 'PBX', note: 'svmap derivatives (svmap --fromname PBX and forks)' },
  { id: 'from-display:nmap-nse', field: 'from-display', test: 'equals', value: 'Nmap NSE', note: "Nmap NSE's default session name (captured)" },
  { id: 'from-display:home', field: 'from-display', test: 'equals', value: 'Home', note: 'Nmap sip-call-spoof default caller name (captured)' },
  { id: 'from-display:sipp', field: 'from-display', test: 'equals', value: 'sipp', note: "SIPp's built-in uac scenario: From: sipp <sip:sipp@...> (captured)" },
  { id: 'from-user:sipp', field: 'from-user', test: 'equals', value: 'sipp', note: "SIPp's built-in uac scenario (captured)" },
  { id: 'from-user:sipsak', field: 'from-user', test: 'equals', value: 'sipsak', note: 'sipsak OPTIONS: From sip:sipsak@<address> (captured)' },
  { id: 'from-user:extension', field: 'from-user', test: 'digits', min: 2, max: 5, methods: ['INVITE'], note: 'dialers call from a guessed extension (100, 1000, 1001)' },
  { id: 'from-tag:70c00e8c', field: 'from-tag', test: 'equals', value: '70c00e8c', note: "Metasploit's SIP scanner modules: fixed From tag" },
  { id: 'from-tag:root', field: 'from-tag', test: 'equals', value: 'root', note: "Nmap's SIPOptions service probe (nmap-service-probes, captured)" },
  { id: 'from-tag:hex-text', field: 'from-tag', test: 'hex-text', note: "SIPVicious createTag(): hex of '<data>\\x01<random>' (captured from svmap, svwar, svcrack)" },
  { id: 'from-tag:sipp', field: 'from-tag', test: 'contains', value: 'sipptag', note: "SIPp's default tag: <pid>SIPpTag<n> (captured)" },
  { id: 'from-tag:rfc3261', field: 'from-tag', test: 'equals', value: ['1928301774', '8321234356'], note: 'tags of the RFC 3261 §24 example messages, copied by scripts' },
  { id: 'from-host:rfc3261', field: 'from-host', test: 'suffix', value: RFC3261_HOSTS, note: 'RFC 3261 example hosts (atlanta.com, biloxi.com), copied by scripts' },
  { id: 'from-host:ip', field: 'from-host-is-ip', test: 'true', note: 'From host is an address literal (dialers write the target or their own address)' },
  { id: 'to-host:rfc3261', field: 'to-host', test: 'suffix', value: RFC3261_HOSTS, note: 'RFC 3261 example hosts' },
  { id: 'to-user:nm2', field: 'to-user', test: 'equals', value: 'nm2', note: "Nmap's SIPOptions probe: To <sip:nm2@nm2> (captured)" },
  { id: 'to-user:nobody', field: 'to-user', test: 'equals', value: 'nobody', note: "Metasploit auxiliary/scanner/sip/options: TO datastore default 'nobody'" },
  { id: 'to-equals-from', field: 'to-equals-from', test: 'true', methods: ['INVITE', 'OPTIONS', 'MESSAGE'], note: 'svmap, svwar and many scripts copy From into To (normal only for REGISTER)' },

  // ---- Request-URI ----
  { id: 'request-host:nm', field: 'request-host', test: 'equals', value: 'nm', note: "Nmap's SIPOptions probe: OPTIONS sip:nm (captured)" },
  { id: 'request-host:rfc3261', field: 'request-host', test: 'suffix', value: RFC3261_HOSTS, note: 'RFC 3261 example hosts' },
  { id: 'request-host:ip', field: 'request-host-is-ip', test: 'true', note: 'Request-URI host is an address literal (scanners address the IP they sweep)' },
  { id: 'request-user:extension', field: 'request-user', test: 'digits', min: 2, max: 5, methods: ['INVITE', 'OPTIONS'], note: 'a guessed extension (svmap: 100; svwar: 100-999)' },
  { id: 'request-user:service', field: 'request-user', test: 'equals', value: 'service', methods: ['INVITE'], note: "SIPp's default -s service (captured)" },
  { id: 'request-user:international', field: 'request-user', test: 'international', methods: ['INVITE'], note: 'an international dial string (00…, 011…, 9011…): toll-fraud dialers' },
  { id: 'request-user:high-risk-country', field: 'request-user', test: 'country-code', value: HIGH_RISK_COUNTRY_CODES, methods: ['INVITE'], note: 'a destination toll-fraud dialers call most (IRSF ranges)' },

  // ---- Call-ID, Via, CSeq, Max-Forwards ----
  { id: 'call-id:ghostguard-probe', field: 'call-id', test: 'suffix', value: '@ghostguard-probe', note: "ghostguard's own self-test: Call-ID <24 hex>@ghostguard-probe (src/probe/probe-messages.ts newDialog)" },
  { id: 'call-id:decimal', field: 'call-id', test: 'digits', min: 6, max: 40, note: 'a bare decimal Call-ID: svmap (80-bit), svwar and svcrack (32-bit)' },
  { id: 'call-id:50000', field: 'call-id', test: 'equals', value: '50000', note: "Nmap's SIPOptions probe (captured)" },
  { id: 'call-id:hex32', field: 'call-id', test: 'hex', min: 32, max: 32, note: 'SIPPTS: 32 hex digits without a host' },
  { id: 'call-id:rfc3261', field: 'call-id', test: 'contains', value: RFC3261_HOSTS, note: 'RFC 3261 example Call-IDs (…@pc33.atlanta.com)' },
  { id: 'branch:svmap', field: 'via-branch', test: 'prefix', value: 'z9hG4bK-', rest: 'digits', note: 'SIPVicious: branch=z9hG4bK-<32-bit decimal> (captured)' },
  { id: 'branch:foo', field: 'via-branch', test: 'equals', value: 'foo', note: "Nmap's SIPOptions probe (captured)" },
  { id: 'branch:dot-hex', field: 'via-branch', test: 'prefix', value: 'z9hG4bK.', rest: 'hex', note: 'sipsak (captured) and Metasploit: branch=z9hG4bK.<8 hex>' },
  { id: 'branch:long-alnum', field: 'via-branch', test: 'alnum', min: 60, max: 90, note: 'SIPPTS: 71 random [0-9a-z] without the z9hG4bK cookie' },
  { id: 'branch:rfc3261', field: 'via-branch', test: 'equals', value: ['z9hG4bK776asdhds', 'z9hG4bKnashds8'], note: 'branches of the RFC 3261 §24 examples' },
  { id: 'via-host:nm', field: 'via-host', test: 'equals', value: 'nm', note: "Nmap's SIPOptions probe: Via: SIP/2.0/UDP nm (captured)" },
  { id: 'via:rport-alias', field: 'via', test: 'contains', value: ';rport;alias', note: 'sipsak (captured) and Metasploit append ;rport;alias' },
  { id: 'via:rport-then-branch', field: 'via', test: 'contains', value: ';rport;branch=z9hg4bk', note: 'Nmap NSE puts rport before branch (captured; pjsip does too: weak)' },
  { id: 'cseq:1234', field: 'cseq-number', test: 'equals', value: '1234', note: 'Nmap NSE: CSeq 1234 (captured)' },
  { id: 'max-forwards:20', field: 'max-forwards', test: 'equals', value: '20', note: 'Metasploit SIP modules: Max-Forwards: 20' },

  // ---- Other headers ----
  { id: 'allow:nmap-nse', field: 'header:allow', test: 'equals', value: NMAP_NSE_ALLOW, note: "nselib/sip.lua's fixed Allow list, spacing included (captured)" },
  { id: 'allow:sippts', field: 'header:allow', test: 'equals', value: SIPPTS_ALLOW, note: "SIPPTS's fixed 13-method Allow" },
  { id: 'accept:sippts', field: 'header:accept', test: 'equals', value: 'application/sdp, application/dtmf-relay', note: 'SIPPTS Accept' },
  { id: 'accept:text-plain', field: 'header:accept', test: 'equals', value: 'text/plain', note: 'sipsak (captured) and Metasploit send Accept: text/plain' },
  { id: 'subject:performance-test', field: 'header:subject', test: 'equals', value: 'Performance Test', note: "SIPp's built-in uac scenario (captured)" },
  { id: 'expires:0-on-invite', field: 'header:expires', test: 'equals', value: '0', methods: ['INVITE'], note: 'Nmap sip-call-spoof sends Expires: 0 in its INVITE (captured)' },
  { id: 'contact:none', field: 'contact', test: 'equals', value: 'None', note: "SIPVicious writes Python's None as the Contact (svmap -m REGISTER; captured)" },
  { id: 'contact:none-user', field: 'contact', test: 'prefix', value: 'sip:None@', note: "SIPVicious's ACK: Contact sip:None@<target> (captured)" },
  { id: 'contact:1.1.1.1', field: 'contact', test: 'contains', value: '@1.1.1.1', note: "svcrack's default Contact sip:123@1.1.1.1 (captured)" },
  { id: 'contact:no-brackets', field: 'contact', test: 'prefix', value: 'sip:', note: 'Contact without angle brackets (SIPVicious); legal, but phones rarely do it' },
  { id: 'contact:sippts', field: 'contact', test: 'contains', value: ';transport=udp>;expires=120', note: 'SIPPTS Contact' },

  // ---- SDP ----
  { id: 'sdp-s:sippts', field: 'sdp-session', test: 'equals', value: 'SIPPTS', note: 'SIPPTS SDP s= line' },
  { id: 'sdp-s:portsip', field: 'sdp-session', test: 'equals', value: 'portsip.com', note: 'PortSIP SDK SDP s= line' },
  { id: 'sdp:vaxsip', field: 'sdp-session', test: 'prefix', value: 'VaxSIPUserAgent', note: 'VaxVoIP SDK SDP s= line' },
  { id: 'sdp-o:sipp', field: 'sdp-origin', test: 'prefix', value: 'user1 53655765 2353687637', note: "SIPp's built-in uac SDP origin (captured)" },

  // ---- Structure ----
  {
    id: 'order:svmap',
    field: 'header-order',
    test: 'order',
    value: ['via', 'max-forwards', 'to', 'from', 'user-agent', 'call-id', 'contact', 'cseq', 'accept'],
    note: 'SIPVicious header order, To before From (svhelper.py makeRequest; captured)',
  },
  {
    id: 'order:svmap-no-ua',
    field: 'header-order',
    test: 'order',
    value: ['via', 'max-forwards', 'to', 'from', 'call-id', 'contact', 'cseq', 'accept'],
    note: 'SIPVicious order with the User-Agent removed (derivatives)',
  },
  { id: 'order:svmap-compact', field: 'header-order', test: 'order', value: ['v', 't', 'f', 'i', 'm', 'cseq', 'max-forwards', 'accept'], note: 'svmap -c (captured)' },
  {
    id: 'order:nmap-probe',
    field: 'header-order',
    test: 'order',
    value: ['via', 'from', 'to', 'call-id', 'cseq', 'max-forwards', 'content-length', 'contact', 'accept'],
    note: "Nmap's SIPOptions probe (captured)",
  },
  {
    id: 'order:nmap-nse',
    field: 'header-order',
    test: 'order',
    value: ['via', 'max-forwards', 'from', 'to', 'call-id', 'cseq', 'user-agent', 'contact', 'expires', 'allow'],
    note: 'nselib/sip.lua header order (captured); pjsip phones use the same order: weak',
  },
  { id: 'names:lower-case', field: 'lower-case-names', test: 'true', note: 'header names in lower case (via:, from:): svmap derivatives' },

  // ---- Counter-evidence: what real phones and providers do ----
  { id: 'has-credentials', field: 'has-credentials', test: 'true', note: 'the request carries digest credentials (a phone that knows its password)' },
  { id: 'via:several', field: 'several-vias', test: 'true', note: 'the request came through a proxy (two or more Vias)' },
  { id: 'contact:instance', field: 'contact-instance', test: 'true', note: 'Contact with +sip.instance or reg-id (RFC 5626 outbound): real phones' },
];
