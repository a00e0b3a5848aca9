/**
 * Scanner fingerprints: the data. Format: fingerprint-schema.ts; signals: fingerprint-signals.ts;
 * scoring: score.ts. The test test/fixtures/scanners (and .../phones) check every entry against real
 * packets.
 *
 * To add a family or a variant: add the signals it needs to the catalogue (or reuse some), add an entry
 * here with weights (0.95: the tool names itself; 0.5–0.9: a value only that tool writes; 0.1–0.4: a
 * shape other software shares; negative: what real phones do), add a fixture with its expected family to
 * test/fixtures/scanners/manifest.json, and bump `version`. Family ids are shown by name through
 * src/policy/scanner-name.ts: add new ids there too.
 *
 * Order matters only for ties: on equal confidence the entry listed first wins, so a specific variant
 * (with `requires`) comes before its family's general entry.
 */
import { FINGERPRINT_FORMAT, type FingerprintSet } from './fingerprint-schema.js';
import { SIGNALS } from './fingerprint-signals.js';

/** Counter-evidence shared by the entries that rest on shapes rather than on a tool's own values. */
const REAL_PHONE = [
  { signal: 'has-credentials', weight: -0.5 },
  { signal: 'via:several', weight: -0.5 },
  { signal: 'contact:instance', weight: -0.4 },
];

export const FINGERPRINTS: FingerprintSet = {
  format: FINGERPRINT_FORMAT,
  version: '2026.11.2',
  threshold: 0.6,
  signals: SIGNALS,
  families: [
    // ---- ghostguard's own self-test: listed first, so that it wins over the svmap shape it copies ----
    {
      family: 'ghostguard-probe',
      variant: 'self-test',
      description: "ghostguard's own self-test (ghostguard probe, the dashboard's \"Am I protected?\"): an svmap-shaped INVITE and an OPTIONS that name themselves",
      source: 'src/probe/probe-messages.ts (User-Agent, From display name and Call-ID host ghostguard-probe)',
      requires: ['ua:ghostguard-probe'],
      signals: [
        { signal: 'ua:ghostguard-probe', weight: 0.95 },
        { signal: 'call-id:ghostguard-probe', weight: 0.9 },
        { signal: 'from-display:ghostguard-probe', weight: 0.5 },
      ],
    },

    // ---- SIPVicious (svmap, svwar, svcrack) and its derivatives ----
    {
      family: 'sipvicious',
      variant: 'svcrack',
      description: 'SIPVicious svcrack: REGISTER digest password guessing (the guess travels hex-encoded in the From tag)',
      source: 'sipvicious 0.3.3 svcrack.py, svhelper.py; captured from Debian sipvicious 0.3.3',
      requires: ['contact:1.1.1.1'],
      signals: [
        { signal: 'contact:1.1.1.1', weight: 0.85 },
        { signal: 'ua:friendly-scanner', weight: 0.95 },
        { signal: 'from-tag:hex-text', weight: 0.8 },
        { signal: 'order:svmap', weight: 0.85 },
        { signal: 'branch:svmap', weight: 0.5 },
        { signal: 'call-id:decimal', weight: 0.35 },
      ],
    },
    {
      family: 'sipvicious',
      variant: 'svmap-compact',
      description: 'SIPVicious svmap -c: compact header names, no User-Agent',
      source: 'svhelper.py makeRequest(compact=True); captured',
      requires: ['order:svmap-compact'],
      signals: [
        { signal: 'order:svmap-compact', weight: 0.85 },
        { signal: 'from-host:1.1.1.1', weight: 0.85 },
        { signal: 'from-display:sipvicious', weight: 0.9 },
        { signal: 'from-tag:hex-text', weight: 0.8 },
        { signal: 'call-id:decimal', weight: 0.35 },
        { signal: 'branch:svmap', weight: 0.5 },
      ],
    },
    {
      family: 'sipvicious',
      variant: 'derivative',
      description: 'svmap derivatives: no User-Agent, display name "PBX", lower-case or shuffled headers, svmap values kept',
      source: 'DESIGN.md §1; svmap --fromname PBX captured with the User-Agent removed',
      requires: ['ua:absent'],
      signals: [
        { signal: 'from-host:1.1.1.1', weight: 0.85 },
        { signal: 'from-display:sipvicious', weight: 0.9 },
        { signal: 'from-tag:hex-text', weight: 0.8 },
        { signal: 'order:svmap-no-ua', weight: 0.8 },
        { signal: 'branch:svmap', weight: 0.5 },
        { signal: 'from-display:pbx', weight: 0.45 },
        { signal: 'names:lower-case', weight: 0.4 },
        { signal: 'call-id:decimal', weight: 0.35 },
        { signal: 'to-equals-from', weight: 0.3 },
        { signal: 'contact:no-brackets', weight: 0.1 },
        ...REAL_PHONE,
      ],
    },
    {
      family: 'sipvicious',
      variant: 'svmap',
      description: 'SIPVicious svmap: one OPTIONS/INVITE per address, From "sipvicious"<sip:100@1.1.1.1>, To = From',
      source: 'sipvicious 0.3.3 svmap.py, svhelper.py makeRequest; captured',
      requires: ['from-host:1.1.1.1'],
      signals: [
        { signal: 'ua:friendly-scanner', weight: 0.95 },
        { signal: 'ua:sipvicious', weight: 0.95 },
        { signal: 'from-display:sipvicious', weight: 0.9 },
        { signal: 'from-host:1.1.1.1', weight: 0.85 },
        { signal: 'order:svmap', weight: 0.85 },
        { signal: 'contact:none', weight: 0.9 },
        { signal: 'from-tag:hex-text', weight: 0.8 },
        { signal: 'branch:svmap', weight: 0.5 },
        { signal: 'call-id:decimal', weight: 0.35 },
        { signal: 'to-equals-from', weight: 0.3 },
      ],
    },
    {
      family: 'sipvicious',
      variant: 'svwar',
      description: 'SIPVicious svwar: sweeps extensions with REGISTER, OPTIONS or INVITE (From = To = the extension)',
      source: 'sipvicious 0.3.3 svwar.py; captured',
      signals: [
        { signal: 'ua:friendly-scanner', weight: 0.95 },
        { signal: 'ua:sipvicious', weight: 0.95 },
        { signal: 'contact:none-user', weight: 0.85 },
        { signal: 'order:svmap', weight: 0.85 },
        { signal: 'from-tag:hex-text', weight: 0.8 },
        { signal: 'branch:svmap', weight: 0.5 },
        { signal: 'call-id:decimal', weight: 0.35 },
        { signal: 'to-equals-from', weight: 0.3 },
        { signal: 'contact:no-brackets', weight: 0.1 },
      ],
    },

    // ---- Nmap ----
    {
      family: 'nmap',
      variant: 'service-probe',
      description: "Nmap -sV: the SIPOptions probe (OPTIONS sip:nm, tag=root, Call-ID 50000)",
      source: 'nmap-service-probes SIPOptions; captured from Debian nmap 7.93',
      signals: [
        { signal: 'request-host:nm', weight: 0.9 },
        { signal: 'via-host:nm', weight: 0.9 },
        { signal: 'to-user:nm2', weight: 0.9 },
        { signal: 'order:nmap-probe', weight: 0.8 },
        { signal: 'call-id:50000', weight: 0.7 },
        { signal: 'from-tag:root', weight: 0.6 },
        { signal: 'branch:foo', weight: 0.5 },
      ],
    },
    {
      family: 'nmap',
      variant: 'nse-call-spoof',
      description: 'Nmap sip-call-spoof: an INVITE posing as Ekiga, caller "Home"',
      source: 'nmap scripts/sip-call-spoof.nse, nselib/sip.lua; captured',
      requires: ['ua:ekiga-bare'],
      signals: [
        { signal: 'allow:nmap-nse', weight: 0.9 },
        { signal: 'ua:ekiga-bare', weight: 0.5 },
        { signal: 'expires:0-on-invite', weight: 0.3 },
        { signal: 'cseq:1234', weight: 0.3 },
        { signal: 'from-display:home', weight: 0.2 },
      ],
    },
    {
      family: 'nmap',
      variant: 'nse',
      description: 'Nmap NSE SIP scripts (sip-methods, sip-enum-users, sip-brute)',
      source: 'nmap nselib/sip.lua; captured',
      signals: [
        { signal: 'ua:nmap-nse', weight: 0.95 },
        { signal: 'from-display:nmap-nse', weight: 0.95 },
        { signal: 'allow:nmap-nse', weight: 0.9 },
        { signal: 'order:nmap-nse', weight: 0.2 },
        { signal: 'cseq:1234', weight: 0.3 },
        { signal: 'via:rport-then-branch', weight: 0.1 },
      ],
    },

    // ---- Other named tools ----
    {
      family: 'metasploit',
      variant: 'scanner-sip',
      description: 'Metasploit auxiliary/scanner/sip/options and enumerator: fixed From tag 70c00e8c',
      source: 'metasploit-framework modules/auxiliary/scanner/sip/options.rb, enumerator.rb',
      signals: [
        { signal: 'from-tag:70c00e8c', weight: 0.95 },
        { signal: 'ua:equals-from-user', weight: 0.5 },
        { signal: 'to-user:nobody', weight: 0.4 },
        { signal: 'max-forwards:20', weight: 0.25 },
        { signal: 'branch:dot-hex', weight: 0.2 },
        { signal: 'via:rport-alias', weight: 0.2 },
        { signal: 'accept:text-plain', weight: 0.15 },
      ],
    },
    {
      family: 'sipsak',
      variant: 'sipsak',
      description: 'sipsak, the SIP Swiss army knife: OPTIONS pings, usrloc REGISTERs, traceroute',
      source: 'captured from Debian sipsak 0.9.8.1',
      signals: [
        { signal: 'ua:sipsak', weight: 0.95 },
        { signal: 'from-user:sipsak', weight: 0.7 },
        { signal: 'branch:dot-hex', weight: 0.25 },
        { signal: 'via:rport-alias', weight: 0.25 },
        { signal: 'accept:text-plain', weight: 0.15 },
      ],
    },
    {
      family: 'sipp',
      variant: 'builtin-uac',
      description: "SIPp's built-in uac scenario (floods and load tests)",
      source: 'captured from Debian sip-tester (SIPp) -sn uac',
      signals: [
        { signal: 'from-tag:sipp', weight: 0.9 },
        { signal: 'subject:performance-test', weight: 0.8 },
        { signal: 'sdp-o:sipp', weight: 0.7 },
        { signal: 'from-display:sipp', weight: 0.5 },
        { signal: 'from-user:sipp', weight: 0.5 },
        { signal: 'request-user:service', weight: 0.4 },
      ],
    },
    {
      family: 'sippts',
      variant: 'sippts',
      description: 'SIPPTS (Pepelux): scan, exten, rcrack, invite modules',
      source: 'sippts src/sippts/lib/functions.py create_message()',
      signals: [
        { signal: 'ua:pplsip', weight: 0.95 },
        { signal: 'ua:sippts', weight: 0.95 },
        { signal: 'sdp-s:sippts', weight: 0.95 },
        { signal: 'allow:sippts', weight: 0.6 },
        { signal: 'contact:sippts', weight: 0.4 },
        { signal: 'branch:long-alnum', weight: 0.3 },
        { signal: 'accept:sippts', weight: 0.3 },
        { signal: 'call-id:hex32', weight: 0.15 },
      ],
    },
    { family: 'sipcli', variant: 'sipcli', description: 'sipcli command-line SIP client used for sweeps', source: 'scanner User-Agent blocklists', signals: [{ signal: 'ua:sipcli', weight: 0.95 }] },
    {
      family: 'vaxsip',
      variant: 'vaxsip-sdk',
      description: "dialers built on VaxVoIP's SIP SDK",
      source: 'scanner User-Agent blocklists; the SDK names itself in the SDP',
      signals: [
        { signal: 'ua:vaxsip', weight: 0.95 },
        { signal: 'sdp:vaxsip', weight: 0.9 },
      ],
    },
    {
      family: 'portsip',
      variant: 'portsip-sdk',
      description: 'dialers built on the PortSIP VoIP SDK (SDP s=portsip.com)',
      source: 'DESIGN.md §1; SIP honeypot reports',
      signals: [
        { signal: 'ua:portsip-sdk', weight: 0.7 },
        { signal: 'sdp-s:portsip', weight: 0.7 },
        { signal: 'request-user:international', weight: 0.2 },
      ],
    },
    { family: 'sundayddr', variant: 'sundayddr', description: 'the sundayddr SIP scanner', source: 'scanner User-Agent blocklists', signals: [{ signal: 'ua:sundayddr', weight: 0.95 }] },
    { family: 'iwar', variant: 'iwar', description: 'iWar, a war dialer with a SIP mode', source: 'scanner User-Agent blocklists', signals: [{ signal: 'ua:iwar', weight: 0.95 }] },

    // ---- Toll fraud ----
    {
      family: 'toll-fraud',
      variant: 'posing-as-phone',
      description: 'a toll-fraud dialer posing as a real product (Cisco-SIPGateway, Asterisk PBX, eyeBeam) calling abroad',
      source: 'DESIGN.md §1; SIP honeypot reports',
      requires: ['request-user:international'],
      signals: [
        { signal: 'request-user:international', weight: 0.5 },
        { signal: 'ua:asterisk-pbx-bare', weight: 0.45 },
        { signal: 'ua:cisco-sipgateway', weight: 0.35 },
        { signal: 'ua:eyebeam', weight: 0.3 },
        { signal: 'ua:asterisk-pbx', weight: 0.15 },
        { signal: 'request-user:high-risk-country', weight: 0.35 },
        { signal: 'from-user:extension', weight: 0.25 },
        { signal: 'from-host:ip', weight: 0.15 },
        { signal: 'request-host:ip', weight: 0.1 },
        ...REAL_PHONE,
      ],
    },
    {
      family: 'toll-fraud',
      variant: 'dialer',
      description: 'an INVITE to an international dial string (00…, 011…, 9011…), as toll-fraud dialers send',
      source: 'DESIGN.md §1; SIP honeypot reports (e.g. 00972 59… ranges)',
      signals: [
        { signal: 'request-user:international', weight: 0.5 },
        { signal: 'request-user:high-risk-country', weight: 0.35 },
        { signal: 'from-user:extension', weight: 0.25 },
        { signal: 'ua:absent', weight: 0.15 },
        { signal: 'from-host:ip', weight: 0.15 },
        { signal: 'request-host:ip', weight: 0.1 },
        ...REAL_PHONE,
      ],
    },

    // ---- Unnamed scanners ----
    {
      family: 'sip-scan',
      variant: 'rfc3261-example',
      description: 'scripts that send the RFC 3261 §24 example messages (alice@atlanta.com calling bob@biloxi.com)',
      source: 'RFC 3261 §24.2',
      signals: [
        { signal: 'from-host:rfc3261', weight: 0.6 },
        { signal: 'call-id:rfc3261', weight: 0.5 },
        { signal: 'from-tag:rfc3261', weight: 0.5 },
        { signal: 'branch:rfc3261', weight: 0.5 },
        { signal: 'to-host:rfc3261', weight: 0.4 },
        { signal: 'request-host:rfc3261', weight: 0.4 },
      ],
    },
    {
      family: 'sip-scan',
      variant: 'generic',
      description: 'an unnamed scanner: the shapes scanners share (To = From, no User-Agent, decimal Call-ID, a guessed extension)',
      source: 'the common structure of the named tools above',
      signals: [
        { signal: 'call-id:decimal', weight: 0.35 },
        { signal: 'to-equals-from', weight: 0.3 },
        { signal: 'ua:absent', weight: 0.15 },
        { signal: 'request-user:extension', weight: 0.15 },
        { signal: 'from-host:ip', weight: 0.1 },
        { signal: 'contact:no-brackets', weight: 0.1 },
        ...REAL_PHONE,
      ],
    },
  ],
};
