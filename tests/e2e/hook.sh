#!/bin/sh
# Runs inside the emulated dom0 (busybox sh), after the harness's own checks: xmc starts
# domains through libxl and watches them. Each check prints E2E-OK or E2E-FAIL; the last
# line is E2E-RESULT PASSED/TOTAL. Configs and the guest's initrd are in /e2e.
set -u
export PATH=/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
pass=0
total=0
ok() { total=$((total + 1)); pass=$((pass + 1)); echo "E2E-OK $*"; }
fail() { total=$((total + 1)); echo "E2E-FAIL $*"; }
expect() { # expect DESCRIPTION COMMAND...
  what=$1; shift
  if "$@"; then ok "$what"; else fail "$what"; fi
}
# wait_for SECONDS COMMAND...: until the command succeeds
wait_for() {
  n=$(($1 * 4)); shift
  while ! "$@" 2>/dev/null; do n=$((n - 1)); [ $n -le 0 ] && return 1; sleep 0.25; done
}
console() { cat "/var/log/xen/console/guest-$1.log" 2>/dev/null; }
on_console() { console "$1" | grep -q "$2"; }
running() { xl list "$1" >/dev/null 2>&1; }
gone() { ! xl list "$1" >/dev/null 2>&1; }
# the guest's markers: it booted, saw its disk (xvda...) and its vif (eth0)
booted() { on_console "$1" XMC-E2E-NET && on_console "$1" "XMC-E2E-DISK xvda"; }
domid_of() { sed -n 's/^Started domain .* (id=\([0-9]*\))$/\1/p' "$1"; }

# --- the machine: a bridge, loop devices for the disks, the kernels pv.cfg names -------
brctl addbr xenbr0 && ip link set xenbr0 up
for i in 1 2 3; do dd if=/dev/zero of=/tmp/disk$i.img bs=1M count=8 2>/dev/null; losetup /dev/loop$i /tmp/disk$i.img; done
mkdir -p /dev/vg0 /boot /var/log/xmc
mknod /dev/vg0/web03-root b 7 1
mknod /dev/vg0/web03-swap b 7 3
ln -sf /guest/vmlinuz /boot/vmlinuz-3.2.0-4-amd64
ln -sf /e2e/guest.gz /boot/initrd.img-3.2.0-4-amd64
cd /e2e

# --- 1. examples/pv (xm_vars): started, its console, its XenStore ----------------------
xmc create pv.cfg vmid=3 >/tmp/pv.out 2>&1
cat /tmp/pv.out
id=$(domid_of /tmp/pv.out)
expect "examples/pv: 'Started domain web03 (id=N)'" test -n "$id"
expect "examples/pv: an ordinary libxl domain (xl list)" running web03
# What libxl wrote, read through xmc's own client, against --emit xenstore on the keys
# both layouts share. Different by design (not compared): xend's /vm/UUID tree, its
# device uuids and "bootable", the protocol and state nodes, the console and store ring
# references, libxl's own /libxl tree and its hotplug-status.
xmc compile --emit xenstore --domid "$id" pv.cfg vmid=3 >/tmp/pv.xs 2>/dev/null
grep -E "^/local/domain/$id/(name|memory/target|cpu/[0-9]+/availability) = |^/local/domain/0/backend/vbd/$id/[0-9]+/(params|mode) = |^/local/domain/$id/device/vbd/[0-9]+/virtual-device = |^/local/domain/0/backend/vif/$id/[0-9]+/(mac|bridge) = " \
  /tmp/pv.xs | sort >/tmp/pv.want
xmc-e2e-xs $(sed 's/ = .*//' /tmp/pv.want) | sort >/tmp/pv.got
diff /tmp/pv.want /tmp/pv.got && same=1 || same=0
echo "E2E-INFO xenstore keys compared: $(wc -l </tmp/pv.want)"
expect "examples/pv: XenStore agrees with --emit xenstore on $(wc -l </tmp/pv.want) shared keys" \
  test "$same" = 1 -a "$(wc -l </tmp/pv.want)" -ge 10
expect "examples/pv: xmc's record in XenStore" test "$(xenstore-read /xmc/domain/$id/name 2>/dev/null)" = web03
expect "examples/pv: the guest's marker, disks and vif on its console" wait_for 60 booted web03
console web03
expect "examples/pv: on_poweroff = destroy (the default): gone after the guest powers off" wait_for 60 gone web03
expect "examples/pv: its XenStore nodes and xmc's record are gone with it" \
  sh -c "! xenstore-read /local/domain/$id/name && ! xenstore-read /xmc/domain/$id/name" 2>/dev/null
cat /var/log/xmc/web03.log

# --- 2. a config with import os and an if; cpus = "0" pins its vCPU --------------------
xmc create code.cfg >/tmp/code.out 2>&1
cat /tmp/code.out
expect "code.cfg (import os, if): started as code1" grep -q "^Started domain code1 (id=" /tmp/code.out
expect "code.cfg: the guest's marker, disk and vif" wait_for 60 booted code1
xl vcpu-list code1
expect "code.cfg: cpus = '0' pins the vCPU (xl vcpu-list)" \
  sh -c "xl vcpu-list code1 | awk 'NR == 2 {print \$7}' | grep -qx 0"
expect "code.cfg: on_poweroff = destroy: gone after poweroff" wait_for 60 gone code1

# --- 3. on_reboot = restart: back with a new id, same name ------------------------------
xmc create reboot.cfg >/tmp/reboot.out 2>&1
cat /tmp/reboot.out
first=$(domid_of /tmp/reboot.out)
restarted() { grep -q "domain reboot1 restarted (id=" /var/log/xmc/reboot1.log; }
expect "on_reboot = restart: the monitor restarts it" wait_for 90 restarted
second=$(sed -n 's/.*domain reboot1 restarted (id=\([0-9]*\)).*/\1/p' /var/log/xmc/reboot1.log | head -n 1)
expect "on_reboot = restart: same name, new id ($first -> $second)" \
  sh -c "test -n '$second' && test '$second' != '$first' && xl domid reboot1 >/dev/null"
cat /var/log/xmc/reboot1.log
xl destroy reboot1 2>/dev/null
wait_for 30 gone reboot1

# --- 4. on_crash = preserve: stays, crashed ---------------------------------------------
xmc create crash.cfg >/tmp/crash.out 2>&1
cat /tmp/crash.out
crashed() { xl list crash1 2>/dev/null | awk 'NR == 2 {print $5}' | grep -q c; }
expect "on_crash = preserve: the crashed domain stays, crashed" wait_for 90 crashed
xl list
sleep 2
expect "on_crash = preserve: still there" crashed
cat /var/log/xmc/crash1.log
xl destroy crash1 2>/dev/null

# --- 5. rollback: a disk that does not exist -------------------------------------------
before=$(xenstore-ls /local/domain | grep -c '^[0-9]')
xmc create nodisk.cfg >/tmp/nodisk.out 2>&1 && rc=0 || rc=$?
cat /tmp/nodisk.out
expect "rollback: xmc create fails, its message at the disk line of the config, naming the disk" \
  sh -c "test $rc -ne 0 && grep -q '^./nodisk.cfg:6:[0-9]*: error: disk\\[0\\]: starting domain .nodisk. failed at .create.' /tmp/nodisk.out && grep -q xmc-e2e-no-such-disk /tmp/nodisk.out"
expect "rollback: xl list shows only dom0" sh -c "test \$(xl list | tail -n +2 | wc -l) -eq 1"
expect "rollback: no XenStore node of it (xenstore-ls)" \
  sh -c "! xenstore-ls / | grep -q nodisk && test \$(xenstore-ls /local/domain | grep -c '^[0-9]') -eq $before && ! xenstore-ls /xmc/domain 2>/dev/null | grep -q ."

# --- 6. xmc xendomains: start the AUTO configs, status, stop them within the wait -------
xmc xendomains start --config /e2e/xendomains >/tmp/xd.out 2>&1 && rc=0 || rc=$?
cat /tmp/xd.out
expect "xendomains start: both AUTO configs started, in name order" \
  sh -c "test $rc -eq 0 && grep 'Started domain' /tmp/xd.out | tr '\n' ' ' | grep -q 'alpha.*beta'"
expect "xendomains start: both running (xl list)" sh -c "xl list alpha >/dev/null && xl list beta >/dev/null"
wait_for 90 on_console alpha XMC-E2E-DISK
wait_for 90 on_console beta XMC-E2E-DISK
xmc xendomains status --config /e2e/xendomains >/tmp/xd.status 2>&1 && rc=0 || rc=$?
cat /tmp/xd.status
expect "xendomains status: both running" sh -c "test $rc -eq 0 && grep -q '^alpha: running' /tmp/xd.status && grep -q '^beta: running' /tmp/xd.status"
xmc xendomains start --config /e2e/xendomains >/tmp/xd.again 2>&1
expect "xendomains start again: running domains are skipped" sh -c "grep -c 'already running' /tmp/xd.again | grep -qx 2"
xmc xendomains stop --config /e2e/xendomains >/tmp/xd.stop 2>&1 && rc=0 || rc=$?
cat /tmp/xd.stop
expect "xendomains stop: both shut down within the wait, none destroyed" \
  sh -c "test $rc -eq 0 && ! grep -q destroyed /tmp/xd.stop && ! xl list alpha 2>/dev/null && ! xl list beta 2>/dev/null"
expect "xendomains stop: the guests received the shutdown request" on_console alpha XMC-E2E-SHUTDOWN-REQUEST
xl list

echo "E2E-RESULT $pass/$total"
[ "$pass" -eq "$total" ]
