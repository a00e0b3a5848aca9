/*
 * flood-sender: the one UDP sender of `npm run bench:flood` (bench/flood.bench.ts), used the same
 * way against every server.
 *
 * Sends SIP datagrams from spoofed source addresses through a raw socket with IP_HDRINCL (the
 * kernel fills in the IP checksum and total length; the UDP checksum is 0, "none", which IPv4
 * allows), at a fixed rate for a fixed time, in paced sendmmsg batches. The messages are read from
 * a template file (records "LEN\n" + LEN bytes, used round-robin); every "@@@@@@@@" in a template is
 * replaced by the packet's number in hex, so branches and Call-IDs are unique.
 *
 * Sources: inside SRC_NET/PREFIX (127.0.0.0/8 only), either drawn at random per packet
 * ("random", xorshift with a fixed seed) or one after another ("sequential": COUNT distinct
 * addresses when COUNT <= the block's size).
 *
 * Bounded: at most MAX_COUNT datagrams, MAX_RATE per second, and the run ends after SECONDS + 2 s
 * (or MAX_SECONDS) whatever happens. Loopback only: a destination or source outside 127.0.0.0/8 is
 * refused. Needs CAP_NET_RAW; run it inside a network namespace the bench created.
 *
 * usage: flood-sender DEST_IP DEST_PORT TEMPLATES RATE SECONDS SRC_NET PREFIX random|sequential SEED
 * prints one line of JSON: {"sent":N,"failed":F,"seconds":S,"distinct":D,"behind":B}
 *   failed: sendmmsg refused (ENOBUFS/EAGAIN: lost as on a wire); behind: batches sent late by > 10 ms
 */
#define _GNU_SOURCE
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

#define MAX_COUNT 20000000L
#define MAX_RATE 500000L
#define MAX_SECONDS 150L
#define MAX_TEMPLATES 256
#define MAX_MARKS 8
#define MARK "@@@@@@@@"
#define MARK_LEN 8
#define BATCH 64
#define PACKET_MAX 1472
#define SOURCE_PORT 5060

struct template {
  char *text;
  size_t len;
  size_t marks[MAX_MARKS];
  int nmarks;
};

static struct template templates[MAX_TEMPLATES];
static int ntemplates;
static uint64_t rng_state;

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

static void fail(const char *what) {
  fprintf(stderr, "flood-sender: %s\n", what);
  exit(2);
}

static long parse_long(const char *text, long min, long max, const char *what) {
  char *end = NULL;
  errno = 0;
  long value = strtol(text, &end, 10);
  if (errno != 0 || end == text || *end != '\0' || value < min || value > max) {
    fprintf(stderr, "flood-sender: %s must be a number in %ld..%ld, got \"%s\"\n", what, min, max, text);
    exit(2);
  }
  return value;
}

static int is_loopback(struct in_addr a) { return (ntohl(a.s_addr) >> 24) == 127; }

static void load_templates(const char *path) {
  FILE *f = fopen(path, "rb");
  if (f == NULL) fail("cannot open the template file");
  for (;;) {
    long len;
    int got = fscanf(f, "%ld", &len);
    if (got == EOF) break;
    if (got != 1 || fgetc(f) != '\n') fail("template file: expected \"LEN\\n\"");
    if (len < 16 || len > PACKET_MAX - 28) fail("template file: a template is empty or larger than one datagram");
    if (ntemplates == MAX_TEMPLATES) fail("template file: too many templates");
    struct template *t = &templates[ntemplates++];
    t->text = malloc((size_t)len);
    if (t->text == NULL || fread(t->text, 1, (size_t)len, f) != (size_t)len) fail("template file: truncated");
    t->len = (size_t)len;
    for (size_t i = 0; i + MARK_LEN <= t->len && t->nmarks < MAX_MARKS; i++) {
      if (memcmp(t->text + i, MARK, MARK_LEN) == 0) {
        t->marks[t->nmarks++] = i;
        i += MARK_LEN - 1;
      }
    }
  }
  fclose(f);
  if (ntemplates == 0) fail("template file: no templates");
}

int main(int argc, char **argv) {
  if (argc != 10) {
    fprintf(stderr, "usage: flood-sender DEST_IP DEST_PORT TEMPLATES RATE SECONDS SRC_NET PREFIX random|sequential SEED\n");
    return 2;
  }
  struct in_addr dest, net;
  if (inet_pton(AF_INET, argv[1], &dest) != 1 || inet_pton(AF_INET, argv[6], &net) != 1) fail("DEST_IP and SRC_NET must be IPv4 addresses");
  if (!is_loopback(dest) || !is_loopback(net)) fail("refusing: DEST_IP and SRC_NET must be in 127.0.0.0/8 (loopback only)");
  long port = parse_long(argv[2], 1, 65535, "DEST_PORT");
  long rate = parse_long(argv[4], 1, MAX_RATE, "RATE");
  long seconds = parse_long(argv[5], 1, MAX_SECONDS, "SECONDS");
  long prefix = parse_long(argv[7], 8, 30, "PREFIX");
  int sequential;
  if (strcmp(argv[8], "random") == 0) sequential = 0;
  else if (strcmp(argv[8], "sequential") == 0) sequential = 1;
  else fail("the source mode must be random or sequential");
  rng_state = (uint64_t)parse_long(argv[9], 1, 0x7fffffffL, "SEED") * 0x9E3779B97F4A7C15ULL;
  long count = rate * seconds;
  if (count > MAX_COUNT) fail("RATE * SECONDS is over the 20,000,000-datagram bound");
  load_templates(argv[3]);

  int fd = socket(AF_INET, SOCK_RAW, IPPROTO_RAW);
  if (fd < 0) {
    perror("flood-sender: socket(SOCK_RAW) (needs CAP_NET_RAW)");
    return 1;
  }
  int on = 1;
  if (setsockopt(fd, IPPROTO_IP, IP_HDRINCL, &on, sizeof on) < 0) {
    perror("flood-sender: IP_HDRINCL");
    return 1;
  }
  int sndbuf = 4 * 1024 * 1024;
  setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &sndbuf, sizeof sndbuf);

  uint32_t base = ntohl(net.s_addr) & (uint32_t)(0xffffffffUL << (32 - prefix));
  uint32_t hosts = (uint32_t)1 << (32 - prefix);
  uint32_t usable = hosts - 2; /* neither the block's first nor its last address */
  struct sockaddr_in to;
  memset(&to, 0, sizeof to);
  to.sin_family = AF_INET;
  to.sin_addr = dest;

  static unsigned char packets[BATCH][PACKET_MAX];
  static struct iovec iov[BATCH];
  static struct mmsghdr msgs[BATCH];
  unsigned char *seen = calloc(hosts / 8 + 1, 1); /* at most 2 MiB (a /8) */
  if (seen == NULL) return 1;
  static const char hex[] = "0123456789abcdef";

  long sent = 0, failed = 0, distinct = 0, behind = 0, next = 0;
  double start = now_seconds();
  double stop_at = start + (double)seconds + 2.0;
  while (next < count) {
    double due = start + (double)next / (double)rate;
    double now = now_seconds();
    if (now > stop_at) break;
    if (due > now) {
      double wait = due - now;
      struct timespec pause = {(time_t)wait, (long)((wait - (double)(time_t)wait) * 1e9)};
      nanosleep(&pause, NULL);
    } else if (now - due > 0.010) {
      behind++;
    }
    int n = (int)((count - next) < BATCH ? (count - next) : BATCH);
    for (int k = 0; k < n; k++) {
      long i = next + k;
      const struct template *t = &templates[i % ntemplates];
      uint32_t offset = sequential ? 1 + (uint32_t)(i % usable) : 1 + next_random() % usable;
      if (!(seen[offset / 8] & (1u << (offset % 8)))) {
        seen[offset / 8] |= (unsigned char)(1u << (offset % 8));
        distinct++;
      }
      unsigned char *p = packets[k];
      size_t header = sizeof(struct iphdr) + sizeof(struct udphdr);
      memcpy(p + header, t->text, t->len);
      for (int m = 0; m < t->nmarks; m++) {
        uint32_t v = (uint32_t)i;
        for (int d = MARK_LEN - 1; d >= 0; d--, v >>= 4) p[header + t->marks[m] + (size_t)d] = (unsigned char)hex[v & 15];
      }
      struct iphdr *ip = (struct iphdr *)p;
      memset(ip, 0, sizeof *ip);
      ip->version = 4;
      ip->ihl = 5;
      ip->ttl = 64;
      ip->protocol = IPPROTO_UDP;
      ip->saddr = htonl(base + offset);
      ip->daddr = dest.s_addr;
      ip->tot_len = htons((uint16_t)(header + t->len));
      struct udphdr *udp = (struct udphdr *)(p + sizeof *ip);
      udp->source = htons(SOURCE_PORT);
      udp->dest = htons((uint16_t)port);
      udp->len = htons((uint16_t)(sizeof *udp + t->len));
      udp->check = 0;
      iov[k].iov_base = p;
      iov[k].iov_len = header + t->len;
      memset(&msgs[k].msg_hdr, 0, sizeof msgs[k].msg_hdr);
      msgs[k].msg_hdr.msg_name = &to;
      msgs[k].msg_hdr.msg_namelen = sizeof to;
      msgs[k].msg_hdr.msg_iov = &iov[k];
      msgs[k].msg_hdr.msg_iovlen = 1;
    }
    int done = 0;
    while (done < n) {
      int r = sendmmsg(fd, msgs + done, (unsigned)(n - done), 0);
      if (r < 0) {
        if (errno == ENOBUFS || errno == EAGAIN || errno == EINTR) {
          failed++; /* one datagram lost, as on a wire; go on with the rest */
          done++;
          continue;
        }
        perror("flood-sender: sendmmsg");
        return 1;
      }
      done += r;
      sent += r;
    }
    next += n;
  }
  double elapsed = now_seconds() - start;
  printf("{\"sent\":%ld,\"failed\":%ld,\"seconds\":%.3f,\"distinct\":%ld,\"behind\":%ld}\n", sent, failed, elapsed, distinct, behind);
  free(seen);
  close(fd);
  return 0;
}
