#!/bin/sh
# The e2e guest's /init: markers on its console, then what its kernel command line asks
# (xmc_up=SECONDS before xmc_then=poweroff|reboot|crash).
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
arg() { sed -n "s/.*$1=\([a-z0-9]*\).*/\1/p" /proc/cmdline; }
up=$(arg xmc_up)
then=$(arg xmc_then)
echo "XMC-E2E-HELLO uptime=$(cut -d' ' -f1 /proc/uptime)"
for m in /mods/*.ko; do insmod "$m" 2>/dev/null; done
i=0
while ! ls /sys/block | grep -q xvd && [ $i -lt 20 ]; do sleep 0.25; i=$((i + 1)); done
sleep 0.5
echo "XMC-E2E-DISK $(ls /sys/block | grep xvd | tr '\n' ' ')"
[ -e /sys/class/net/eth0 ] && echo "XMC-E2E-NET mac=$(cat /sys/class/net/eth0/address)"
# A shutdown request: the kernel runs poweroff_cmd (busybox's poweroff is in /usr/bin
# here), which signals init (this script).
echo /usr/bin/poweroff >/proc/sys/kernel/poweroff_cmd
trap 'echo XMC-E2E-SHUTDOWN-REQUEST; poweroff -f' USR2 TERM
sleep "${up:-2}" &
wait $!
case "$then" in
  reboot) echo "XMC-E2E-REBOOT"; reboot -f ;;
  crash) echo "XMC-E2E-CRASH"; echo 1 > /proc/sys/kernel/sysrq; echo c > /proc/sysrq-trigger ;;
  *) echo "XMC-E2E-POWEROFF"; poweroff -f ;;
esac
sleep 60
