/**
 * Link layers a user meets in a capture, and where their IP packet starts. Values are the
 * LINKTYPE_* numbers of the pcap/pcapng link-type registry (tcpdump.org/linktypes.html).
 */
export const LinkType = {
  /** BSD loopback: 4-byte address family in the capturing host's byte order. */
  NULL: 0,
  ETHERNET: 1,
  /** Raw IP, the version nibble tells v4 from v6. */
  RAW: 101,
  /** OpenBSD loopback: 4-byte address family, network byte order (either is accepted). */
  LOOP: 108,
  /** Linux cooked capture v1 (`tcpdump -i any` before libpcap 1.10). */
  LINUX_SLL: 113,
  IPV4: 228,
  IPV6: 229,
  /** Linux cooked capture v2 (`tcpdump -i any` with libpcap ≥ 1.10). */
  LINUX_SLL2: 276,
} as const;

export type LinkTypeValue = (typeof LinkType)[keyof typeof LinkType];

const ETHERTYPE_IPV4 = 0x0800;
const ETHERTYPE_IPV6 = 0x86dd;
const ETHERTYPE_VLAN = 0x8100; // 802.1Q
const ETHERTYPE_QINQ = 0x88a8; // 802.1ad
const ETHERTYPE_QINQ_OLD = 0x9100;
/** More stacked tags than this is not a real frame. */
const MAX_VLAN_TAGS = 8;

/** The address families for IPv6 in BSD loopback headers: NetBSD/OpenBSD, FreeBSD, Darwin (and Linux). */
function isInet6Family(v: number): boolean {
  return v === 24 || v === 28 || v === 30 || v === 10;
}

export function isKnownLinkType(linkType: number): boolean {
  return (
    linkType === LinkType.NULL ||
    linkType === LinkType.ETHERNET ||
    linkType === LinkType.RAW ||
    linkType === LinkType.LOOP ||
    linkType === LinkType.LINUX_SLL ||
    linkType === LinkType.IPV4 ||
    linkType === LinkType.IPV6 ||
    linkType === LinkType.LINUX_SLL2
  );
}

/**
 * Offset of the IP header in the frame `buf[off, end)`, or -1 when the frame carries no IP (or the
 * link type is unknown). The IP version is checked by the IP decoder.
 */
export function ipStart(linkType: number, buf: Uint8Array, off: number, end: number): number {
  switch (linkType) {
    case LinkType.ETHERNET: {
      let p = off + 12;
      for (let tags = 0; tags <= MAX_VLAN_TAGS; tags++) {
        if (p + 2 > end) return -1;
        const type = (buf[p]! << 8) | buf[p + 1]!;
        if (type === ETHERTYPE_IPV4 || type === ETHERTYPE_IPV6) return p + 2;
        if (type !== ETHERTYPE_VLAN && type !== ETHERTYPE_QINQ && type !== ETHERTYPE_QINQ_OLD) return -1;
        p += 4;
      }
      return -1;
    }
    case LinkType.RAW:
    case LinkType.IPV4:
    case LinkType.IPV6:
      return off;
    case LinkType.NULL:
    case LinkType.LOOP: {
      if (off + 4 > end) return -1;
      const le = buf[off]! | (buf[off + 1]! << 8) | (buf[off + 2]! << 16) | (buf[off + 3]! << 24);
      const be = (buf[off]! << 24) | (buf[off + 1]! << 16) | (buf[off + 2]! << 8) | buf[off + 3]!;
      if (le === 2 || be === 2 || isInet6Family(le) || isInet6Family(be)) return off + 4;
      return -1;
    }
    case LinkType.LINUX_SLL: {
      if (off + 16 > end) return -1;
      const type = (buf[off + 14]! << 8) | buf[off + 15]!;
      return type === ETHERTYPE_IPV4 || type === ETHERTYPE_IPV6 ? off + 16 : -1;
    }
    case LinkType.LINUX_SLL2: {
      if (off + 20 > end) return -1;
      const type = (buf[off]! << 8) | buf[off + 1]!;
      return type === ETHERTYPE_IPV4 || type === ETHERTYPE_IPV6 ? off + 20 : -1;
    }
    default:
      return -1;
  }
}
