/*
 * vlan-trunk: the lab's end of a guest NIC that carries WAN and LAN as
 * 802.1Q VLANs (stock TP-Link firmware: VLAN 2 WAN, 3 LAN on eth0), for
 * hosts whose kernel offers no 8021q, no VLAN-filtering bridge and no tc
 * vlan action (the lab containers run on such kernels; Linux would do this
 * with `ip link add ... type vlan` otherwise). QEMU's NIC is a UDP socket
 * netdev on the container's loopback; each datagram is one Ethernet frame.
 * A tagged frame from the guest goes, tag removed, to the tap of its VLAN;
 * a frame from a tap goes to the guest with its VLAN's tag. Untagged frames
 * and unknown VLANs are dropped and counted, as a switch port would.
 *
 *   vlan-trunk LISTEN_PORT QEMU_PORT VID:TAP [VID:TAP ...]
 *
 * The taps must exist (lab-entry.sh makes them, with their addresses).
 * Runs until killed; SIGUSR1 prints its counters to stderr.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/if.h>
#include <linux/if_tun.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#define MAX_VLANS 8
#define FRAME_MAX 65536
#define ETH_TPID_8021Q 0x8100

struct vlan { unsigned vid; int fd; char tap[IFNAMSIZ]; unsigned long to_tap, to_guest; };

static struct vlan vlans[MAX_VLANS];
static int nvlans;
static unsigned long untagged, unknown_vid;
static volatile sig_atomic_t report;

static void die(const char *what) {
  fprintf(stderr, "vlan-trunk: %s: %s\n", what, strerror(errno));
  exit(70);
}

static void usage(void) {
  fprintf(stderr, "usage: vlan-trunk LISTEN_PORT QEMU_PORT VID:TAP [VID:TAP ...]\n");
  exit(64);
}

static int open_tap(const char *name) {
  int fd = open("/dev/net/tun", O_RDWR | O_CLOEXEC);
  if (fd < 0) die("/dev/net/tun");
  struct ifreq ifr;
  memset(&ifr, 0, sizeof ifr);
  ifr.ifr_flags = IFF_TAP | IFF_NO_PI;
  strncpy(ifr.ifr_name, name, IFNAMSIZ - 1);
  if (ioctl(fd, TUNSETIFF, &ifr) < 0) die(name);
  return fd;
}

static unsigned parse_port(const char *s) {
  char *end;
  unsigned long v = strtoul(s, &end, 10);
  if (*s == '\0' || *end != '\0' || v == 0 || v > 65535) usage();
  return (unsigned)v;
}

static void on_usr1(int sig) { (void)sig; report = 1; }

static void print_counters(void) {
  for (int i = 0; i < nvlans; i++) {
    fprintf(stderr, "vlan-trunk: vlan %u (%s): %lu frames to the lab, %lu to the guest\n",
            vlans[i].vid, vlans[i].tap, vlans[i].to_tap, vlans[i].to_guest);
  }
  fprintf(stderr, "vlan-trunk: dropped %lu untagged, %lu of other VLANs\n", untagged, unknown_vid);
}

int main(int argc, char **argv) {
  if (argc < 4 || argc - 3 > MAX_VLANS) usage();
  unsigned listen_port = parse_port(argv[1]), qemu_port = parse_port(argv[2]);
  for (int i = 3; i < argc; i++) {
    char *colon = strchr(argv[i], ':');
    if (colon == NULL || colon == argv[i] || colon[1] == '\0' || strlen(colon + 1) >= IFNAMSIZ) usage();
    *colon = '\0';
    char *end;
    unsigned long vid = strtoul(argv[i], &end, 10);
    if (*end != '\0' || vid < 1 || vid > 4094) usage();
    struct vlan *v = &vlans[nvlans++];
    v->vid = (unsigned)vid;
    strcpy(v->tap, colon + 1);
    v->fd = open_tap(v->tap);
  }

  int sock = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (sock < 0) die("socket");
  struct sockaddr_in self = { .sin_family = AF_INET, .sin_port = htons(listen_port), .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
  struct sockaddr_in qemu = { .sin_family = AF_INET, .sin_port = htons(qemu_port), .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
  if (bind(sock, (struct sockaddr *)&self, sizeof self) < 0) die("bind");

  struct sigaction sa = { .sa_handler = on_usr1 };
  sigaction(SIGUSR1, &sa, NULL);
  signal(SIGPIPE, SIG_IGN);

  struct pollfd fds[MAX_VLANS + 1];
  fds[0] = (struct pollfd){ .fd = sock, .events = POLLIN };
  for (int i = 0; i < nvlans; i++) fds[i + 1] = (struct pollfd){ .fd = vlans[i].fd, .events = POLLIN };
  static unsigned char buf[FRAME_MAX + 4];
  fprintf(stderr, "vlan-trunk: up on 127.0.0.1:%u, guest at 127.0.0.1:%u\n", listen_port, qemu_port);

  for (;;) {
    if (report) { report = 0; print_counters(); }
    if (poll(fds, (nfds_t)nvlans + 1, -1) < 0) {
      if (errno == EINTR) continue;
      die("poll");
    }
    if (fds[0].revents & POLLIN) {
      ssize_t n = recv(sock, buf, FRAME_MAX, 0);
      if (n < 0 && errno != EINTR && errno != EAGAIN) die("recv");
      if (n >= 18) {
        unsigned tpid = (unsigned)buf[12] << 8 | buf[13];
        unsigned vid = ((unsigned)buf[14] << 8 | buf[15]) & 0x0fff;
        struct vlan *v = NULL;
        for (int i = 0; i < nvlans && tpid == ETH_TPID_8021Q; i++) if (vlans[i].vid == vid) v = &vlans[i];
        if (tpid != ETH_TPID_8021Q) untagged++;
        else if (v == NULL) unknown_vid++;
        else {
          memmove(buf + 12, buf + 16, (size_t)n - 16);
          if (write(v->fd, buf, (size_t)n - 4) >= 0) v->to_tap++;
        }
      } else if (n >= 14) {
        untagged++;
      }
    }
    for (int i = 0; i < nvlans; i++) {
      if (!(fds[i + 1].revents & POLLIN)) continue;
      struct vlan *v = &vlans[i];
      ssize_t n = read(v->fd, buf + 4, FRAME_MAX);
      if (n < 0 && errno != EINTR && errno != EAGAIN) die(v->tap);
      if (n < 14) continue;
      /* The frame sits 4 bytes in: move its MACs to the front, the tag after them. */
      memmove(buf, buf + 4, 12);
      buf[12] = ETH_TPID_8021Q >> 8;
      buf[13] = ETH_TPID_8021Q & 0xff;
      buf[14] = (unsigned char)(v->vid >> 8);
      buf[15] = (unsigned char)(v->vid & 0xff);
      if (sendto(sock, buf, (size_t)n + 4, 0, (struct sockaddr *)&qemu, sizeof qemu) >= 0) v->to_guest++;
    }
  }
}
