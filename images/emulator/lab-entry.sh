#!/usr/bin/env bash
# Entry point of the emulator container: wire the guest's two taps, the WAN
# side's DHCP server and the firewall of this container's network namespace,
# then exec the QEMU argv the harness passed (harness/emulator/qemu-argv.ts
# builds it; nothing is added here). Which guest NIC is WAN is the argv's
# business; this side is the same for every guest (harness/emulator/lab-wiring.ts).
#
#   guest WAN NIC <-> tap-wan $FIRMLAB_WAN_GATEWAY, the lab playing the ISP:
#     DHCP (busybox udhcpd)           -> lease $FIRMLAB_WAN_GUEST, gateway and DNS the gateway
#     tcp/udp port 53 to the gateway  -> DNAT to $FIRMLAB_RECORDER_GATEWAY when set
#     tcp/udp port 53 to ANY address  -> DNAT to $FIRMLAB_RECORDER (ip:port)
#     other tcp/udp                   -> DNAT to $FIRMLAB_SINKHOLE when set
#     everything else                 -> chain FIRMLAB_EGRESS: counted, dropped
#     IPv6 (RS, DHCPv6, anything)     -> chain FIRMLAB_EGRESS6: counted, dropped
#   guest LAN NIC <-> tap-lan $FIRMLAB_LAN_HOST, the user's LAN:
#   (one guest NIC carrying both as VLANs, FIRMLAB_TRUNK_VLANS="WAN LAN":
#    QEMU's UDP socket netdev <-> vlan-trunk <-> tap-wan and tap-lan, untagged)
#     tcp ports $FIRMLAB_WEB_PORTS arriving on the lab interface -> $FIRMLAB_GUEST_LAN
# Nothing else is forwarded (FORWARD policy DROP); the lab network is internal too.
# Env: FIRMLAB_RECORDER, FIRMLAB_WAN_GATEWAY (ip/prefix) and FIRMLAB_WAN_GUEST
# (required: harness/emulator/lab-wiring.ts), FIRMLAB_RECORDER_GATEWAY (the
# recorder's listener for queries sent to the gateway itself: their
# destination needs no conntrack read), FIRMLAB_SINKHOLE, FIRMLAB_LAB_IF (eth0),
# FIRMLAB_GUEST_LAN (the router's LAN address, default 192.168.0.1),
# FIRMLAB_LAN_HOST (this side's address/prefix, default 192.168.0.2/24),
# FIRMLAB_TRUNK_VLANS and FIRMLAB_TRUNK_UDP ("LAB_PORT GUEST_PORT" on
# loopback; both or neither), FIRMLAB_WEB_PORTS (default "80"), FIRMLAB_GUEST_LAN_MAC (the guest LAN NIC's
# MAC, from the QEMU argv), FIRMLAB_WAN_TAP_MAC and FIRMLAB_LAN_TAP_MAC (this
# side's MACs, required: fixed, so a router restored from a snapshot keeps its
# ARP cache), FIRMLAB_WAN_DHCP (0 turns the DHCP server off).
set -euo pipefail

die() { echo "lab-entry: FIRMLAB_EMULATOR_SETUP: $*" >&2; exit 70; }
[ $# -gt 0 ] || die "no QEMU command given"
recorder="${FIRMLAB_RECORDER:-}"
[[ "$recorder" =~ ^[0-9.]+:[0-9]+$ ]] || die "FIRMLAB_RECORDER must be ip:port, got '${recorder}'"
recorder_gw="${FIRMLAB_RECORDER_GATEWAY:-}"
[ -z "$recorder_gw" ] || [[ "$recorder_gw" =~ ^[0-9.]+:[0-9]+$ ]] || die "FIRMLAB_RECORDER_GATEWAY must be ip:port, got '$recorder_gw'"
sinkhole="${FIRMLAB_SINKHOLE:-}"
[ -z "$sinkhole" ] || [[ "$sinkhole" =~ ^[0-9.]+(:[0-9]+)?$ ]] || die "FIRMLAB_SINKHOLE must be ip[:port], got '$sinkhole'"
lab_if="${FIRMLAB_LAB_IF:-eth0}"
ip link show "$lab_if" >/dev/null 2>&1 || die "no lab interface $lab_if"
[ -c /dev/net/tun ] || die "/dev/net/tun is missing (create the container with --device /dev/net/tun)"

ipv4='^([0-9]{1,3}\.){3}[0-9]{1,3}$'
mac='^[0-9a-f]{2}(:[0-9a-f]{2}){5}$'
wan_mac="${FIRMLAB_WAN_TAP_MAC:-}" lan_mac="${FIRMLAB_LAN_TAP_MAC:-}"
[[ "$wan_mac" =~ $mac && "$lan_mac" =~ $mac ]] || die "FIRMLAB_WAN_TAP_MAC and FIRMLAB_LAN_TAP_MAC must be MAC addresses, got '$wan_mac' '$lan_mac'"
wan_tap=tap-wan wan_addr="${FIRMLAB_WAN_GATEWAY:-}" wan_guest="${FIRMLAB_WAN_GUEST:-}"
[[ "${wan_addr%/*}" =~ $ipv4 && "$wan_addr" =~ /[0-9]{1,2}$ && "$wan_guest" =~ $ipv4 ]] \
  || die "FIRMLAB_WAN_GATEWAY must be ip/prefix and FIRMLAB_WAN_GUEST an IPv4 address, got '$wan_addr' '$wan_guest'"
lan_tap=tap-lan lan_addr="${FIRMLAB_LAN_HOST:-192.168.0.2/24}" guest_lan="${FIRMLAB_GUEST_LAN:-192.168.0.1}"
web_ports="${FIRMLAB_WEB_PORTS:-80}"
[[ "$guest_lan" =~ $ipv4 ]] || die "FIRMLAB_GUEST_LAN must be an IPv4 address, got '$guest_lan'"
[[ "${lan_addr%/*}" =~ $ipv4 && "$lan_addr" =~ /[0-9]{1,2}$ ]] || die "FIRMLAB_LAN_HOST must be ip/prefix, got '$lan_addr'"
for p in $web_ports; do [[ "$p" =~ ^[0-9]{1,5}$ ]] || die "FIRMLAB_WEB_PORTS must be port numbers, got '$web_ports'"; done

mkdir -p /run/firmlab
# Fixed MACs on this side too: a guest restored from a snapshot still has them in its ARP cache.
for spec in "$wan_tap $wan_addr $wan_mac" "$lan_tap $lan_addr $lan_mac"; do
  read -r tap addr mac <<<"$spec"
  ip tuntap add dev "$tap" mode tap || die "cannot create $tap (needs --cap-add NET_ADMIN)"
  ip link set "$tap" address "$mac"
  ip addr add "$addr" dev "$tap"
  ip link set "$tap" up
done

# One guest NIC with both sides as VLANs: the taps above stay the lab's ends,
# vlan-trunk.c tags and untags between them and QEMU (no 8021q in the kernels
# these containers run on).
if [ -n "${FIRMLAB_TRUNK_VLANS:-}" ]; then
  read -r wan_vid lan_vid <<<"$FIRMLAB_TRUNK_VLANS"
  read -r trunk_lab trunk_guest <<<"${FIRMLAB_TRUNK_UDP:-}"
  for n in "$wan_vid" "$lan_vid" "$trunk_lab" "$trunk_guest"; do
    [[ "$n" =~ ^[0-9]{1,5}$ ]] || die "FIRMLAB_TRUNK_VLANS must be \"WAN LAN\" VLAN ids and FIRMLAB_TRUNK_UDP \"LAB GUEST\" ports, got '$FIRMLAB_TRUNK_VLANS' '${FIRMLAB_TRUNK_UDP:-}'"
  done
  /usr/local/lib/firmlab/vlan-trunk "$trunk_lab" "$trunk_guest" "$wan_vid:$wan_tap" "$lan_vid:$lan_tap" &
  trunk_pid=$!
  sleep 0.2
  kill -0 "$trunk_pid" 2>/dev/null || die "vlan-trunk did not start (its reason is above)"
fi

# A static neighbour for the guest's LAN address: probes of the web UI made
# before the guest is up would otherwise leave a FAILED entry that delays the
# first answer by up to a second of ARP retries.
if [ -n "${FIRMLAB_GUEST_LAN_MAC:-}" ]; then
  ip neigh replace "$guest_lan" lladdr "$FIRMLAB_GUEST_LAN_MAC" dev "$lan_tap" nud permanent \
    || die "bad FIRMLAB_GUEST_LAN_MAC '$FIRMLAB_GUEST_LAN_MAC'"
fi

[ "$(cat /proc/sys/net/ipv4/ip_forward)" = 1 ] \
  || echo 1 >/proc/sys/net/ipv4/ip_forward 2>/dev/null \
  || die "net.ipv4.ip_forward is 0 in this container and /proc/sys is read-only (create it with sysctl net.ipv4.ip_forward=1)"

ipt() { iptables -w "$@" || die "iptables $*"; }

if [ -n "$recorder_gw" ]; then
  for proto in udp tcp; do
    ipt -t nat -A PREROUTING -i "$wan_tap" -d "${wan_addr%/*}" -p "$proto" --dport 53 -j DNAT --to-destination "$recorder_gw"
  done
fi
ipt -t nat -A PREROUTING -i "$wan_tap" -p udp --dport 53 -j DNAT --to-destination "$recorder"
ipt -t nat -A PREROUTING -i "$wan_tap" -p tcp --dport 53 -j DNAT --to-destination "$recorder"
# The guest asking for its WAN lease is for the DHCP server here, never the sinkhole.
if [ "${FIRMLAB_WAN_DHCP:-1}" != 0 ]; then
  ipt -t nat -A PREROUTING -i "$wan_tap" -p udp --sport 68 --dport 67 -j RETURN
fi
if [ -n "$sinkhole" ]; then
  ipt -t nat -A PREROUTING -i "$wan_tap" -p udp -j DNAT --to-destination "$sinkhole"
  ipt -t nat -A PREROUTING -i "$wan_tap" -p tcp -j DNAT --to-destination "$sinkhole"
fi
# The recorder sees this container's lab address as the client: the host has
# no route back to the guest's WAN address.
ipt -t nat -A POSTROUTING -o "$lab_if" -m conntrack --ctstate DNAT -j MASQUERADE
for p in $web_ports; do
  ipt -t nat -A PREROUTING -i "$lab_if" -p tcp --dport "$p" -j DNAT --to-destination "$guest_lan:$p"
done
ipt -t nat -A POSTROUTING -o "$lan_tap" -m conntrack --ctstate DNAT -j MASQUERADE

ipt -N FIRMLAB_EGRESS
for proto in udp tcp icmp; do ipt -A FIRMLAB_EGRESS -p "$proto" -j DROP; done
ipt -A FIRMLAB_EGRESS -j DROP

ipt -P FORWARD DROP
ipt -A FORWARD -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT
for to in $(printf '%s\n' "${recorder%%:*}" ${recorder_gw:+"${recorder_gw%%:*}"} | sort -u); do
  for proto in udp tcp; do
    ipt -A FORWARD -i "$wan_tap" -o "$lab_if" -p "$proto" -m conntrack --ctstate DNAT --ctorigdstport 53 -d "$to" -j ACCEPT
  done
done
if [ -n "$sinkhole" ]; then
  ipt -A FORWARD -i "$wan_tap" -o "$lab_if" -m conntrack --ctstate DNAT -d "${sinkhole%%:*}" -j ACCEPT
fi
ipt -A FORWARD -i "$wan_tap" -j FIRMLAB_EGRESS
for p in $web_ports; do
  ipt -A FORWARD -i "$lab_if" -o "$lan_tap" -p tcp -d "$guest_lan" --dport "$p" -j ACCEPT
  # While the guest's LAN comes up it may route its answers to the harness's web
  # probes (to our LAN address) out of WAN: ours, so not counted as egress.
  ipt -A INPUT -i "$wan_tap" -p tcp --sport "$p" -d "${lan_addr%/*}" -j DROP
done
# DHCP is the ISP's service, not egress: the guest asking for its lease.
if [ "${FIRMLAB_WAN_DHCP:-1}" != 0 ]; then
  ipt -A INPUT -i "$wan_tap" -p udp --sport 68 --dport 67 -j ACCEPT
fi
# The guest talking to its gateway itself (ping, DHCP, anything not DNAT'd) counts too.
ipt -A INPUT -i "$wan_tap" -j FIRMLAB_EGRESS

# IPv6 from the guest goes nowhere either, but is counted by kind (router
# solicitations, DHCPv6, DNS, other): the harness reads the chain's counters.
# In the raw table's PREROUTING, before routing: a router solicitation to
# ff02::2 never reaches INPUT on a host that is not a router. Best effort
# where the container has no IPv6 at all.
ip6t() { ip6tables -w -t raw "$@"; }
if ip6tables -w -L >/dev/null 2>&1; then
  ip6tables -w -P FORWARD DROP || true
  if ip6t -N FIRMLAB_EGRESS6 2>/dev/null; then
    ip6t -A FIRMLAB_EGRESS6 -p ipv6-icmp --icmpv6-type router-solicitation -j DROP
    ip6t -A FIRMLAB_EGRESS6 -p ipv6-icmp -j DROP
    ip6t -A FIRMLAB_EGRESS6 -p udp --dport 547 -j DROP
    ip6t -A FIRMLAB_EGRESS6 -p udp --dport 53 -j DROP
    ip6t -A FIRMLAB_EGRESS6 -p tcp --dport 53 -j DROP
    ip6t -A FIRMLAB_EGRESS6 -p udp -j DROP
    ip6t -A FIRMLAB_EGRESS6 -p tcp -j DROP
    ip6t -A FIRMLAB_EGRESS6 -j DROP
    ip6t -A PREROUTING -i "$wan_tap" -j FIRMLAB_EGRESS6
  fi
fi

# The ISP's DHCP server: one lease, always the same address, so the guest-facing
# network is identical in every lab. Its log lands in the run directory.
if [ "${FIRMLAB_WAN_DHCP:-1}" != 0 ]; then
  bits=${wan_addr#*/} netmask=
  for _ in 1 2 3 4; do
    n=$(( bits >= 8 ? 8 : (bits > 0 ? bits : 0) )) bits=$(( bits - 8 ))
    netmask+="${netmask:+.}$(( 256 - 2 ** (8 - n) ))"
  done
  cat >/run/udhcpd.conf <<CONF
start $wan_guest
end $wan_guest
interface $wan_tap
lease_file /run/udhcpd.leases
max_leases 1
auto_time 1
option subnet $netmask
option router ${wan_addr%/*}
option dns ${wan_addr%/*}
option lease 3600
CONF
  : >/run/udhcpd.leases
  busybox udhcpd -f /run/udhcpd.conf >>/run/firmlab/dhcp.log 2>&1 &
fi

echo "lab-entry: taps and firewall ready (lab $lab_if, recorder $recorder${recorder_gw:+ and $recorder_gw for the gateway}${sinkhole:+, sinkhole $sinkhole}); exec $1" >&2
exec "$@"
