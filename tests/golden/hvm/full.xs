/local/domain/5 rm
/local/domain/5 mkdir
/local/domain/5 perms n0 r5
/local/domain/5/vm = /vm/00000000-0000-4000-8000-0000000000aa
/local/domain/5/device mkdir
/local/domain/5/device perms n5
/local/domain/5/control mkdir
/local/domain/5/control perms n5
/local/domain/5/error mkdir
/local/domain/5/error perms n5
/local/domain/5/memory mkdir
/local/domain/5/memory perms n5
/local/domain/5/guest mkdir
/local/domain/5/guest perms n5
/local/domain/5/hvmpv mkdir
/local/domain/5/hvmpv perms n5
/local/domain/5/data mkdir
/local/domain/5/data perms n5
/vm/00000000-0000-4000-8000-0000000000aa/image/ostype = hvm
/vm/00000000-0000-4000-8000-0000000000aa/image/kernel = 
/vm/00000000-0000-4000-8000-0000000000aa/image/cmdline = 
/vm/00000000-0000-4000-8000-0000000000aa/image/ramdisk = 
/vm/00000000-0000-4000-8000-0000000000aa/image/cmdline perms n0 r5
/vm/00000000-0000-4000-8000-0000000000aa/vncpasswd = s3cret
/vm/00000000-0000-4000-8000-0000000000aa/vncpasswd perms n0 r5
/vm/00000000-0000-4000-8000-0000000000aa/image/dmargs = -domain-name golden-hvm -videoram 4 -k en-us -vnc 0.0.0.0:3,password -vcpus 4 -vcpu_avail 0xf -boot dc -soundhw es1370 -serial pty -std-vga -acpi -usb -usbdevice tablet -net nic,vlan=1,macaddr=00:16:3e:21:43:65,model=e1000 -net tap,vlan=1,ifname=vif5.0-emu,bridge=xenbr0,script=no,downscript=no
/vm/00000000-0000-4000-8000-0000000000aa/image/device-model = /usr/lib/xen/bin/qemu-dm
/vm/00000000-0000-4000-8000-0000000000aa/image/display = 
/vm/00000000-0000-4000-8000-0000000000aa/image/dmargs perms n0 r5
/local/domain/0/device-model/5/disable_pf = 0
/vm/00000000-0000-4000-8000-0000000000aa/rtc/timeoffset = 3600
/vm/00000000-0000-4000-8000-0000000000aa/rtc/timeoffset perms n0 r5
@introduce 5 {runtime:store-mfn} {runtime:store-port}
/local/domain/5/device/vfb/0 rm
/local/domain/0/backend/vfb/5/0 rm
/vm/00000000-0000-4000-8000-0000000000aa/device/vfb/0 rm
/local/domain/0/backend/vfb/5/0 mkdir
/local/domain/0/backend/vfb/5/0 perms n0 r5
/local/domain/5/device/vfb/0 mkdir
/local/domain/5/device/vfb/0 perms n5 r0
/local/domain/5/device/vfb/0/state = 1
/local/domain/5/device/vfb/0/backend-id = 0
/local/domain/5/device/vfb/0/backend = /local/domain/0/backend/vfb/5/0
/local/domain/0/backend/vfb/5/0/vncunused = 0
/local/domain/0/backend/vfb/5/0/domain = golden-hvm
/local/domain/0/backend/vfb/5/0/vnc = 1
/local/domain/0/backend/vfb/5/0/uuid = {runtime:device-uuid}
/local/domain/0/backend/vfb/5/0/vnclisten = 0.0.0.0
/local/domain/0/backend/vfb/5/0/vncdisplay = 3
/local/domain/0/backend/vfb/5/0/frontend = /local/domain/5/device/vfb/0
/local/domain/0/backend/vfb/5/0/vncpasswd = s3cret
/local/domain/0/backend/vfb/5/0/state = 1
/local/domain/0/backend/vfb/5/0/keymap = en-us
/local/domain/0/backend/vfb/5/0/online = 1
/local/domain/0/backend/vfb/5/0/frontend-id = 5
/vm/00000000-0000-4000-8000-0000000000aa/device/vfb/0 mkdir
/vm/00000000-0000-4000-8000-0000000000aa/device/vfb/0/frontend = /local/domain/5/device/vfb/0
/vm/00000000-0000-4000-8000-0000000000aa/device/vfb/0/frontend-id = 5
/vm/00000000-0000-4000-8000-0000000000aa/device/vfb/0/backend-id = 0
/vm/00000000-0000-4000-8000-0000000000aa/device/vfb/0/backend = /local/domain/0/backend/vfb/5/0
/local/domain/5/device/vbd/768 rm
/local/domain/0/backend/vbd/5/768 rm
/vm/00000000-0000-4000-8000-0000000000aa/device/vbd/768 rm
/local/domain/0/backend/vbd/5/768 mkdir
/local/domain/0/backend/vbd/5/768 perms n0 r5
/local/domain/5/device/vbd/768 mkdir
/local/domain/5/device/vbd/768 perms n5 r0
/local/domain/5/device/vbd/768/backend-id = 0
/local/domain/5/device/vbd/768/virtual-device = 768
/local/domain/5/device/vbd/768/device-type = disk
/local/domain/5/device/vbd/768/state = 1
/local/domain/5/device/vbd/768/backend = /local/domain/0/backend/vbd/5/768
/local/domain/0/backend/vbd/5/768/domain = golden-hvm
/local/domain/0/backend/vbd/5/768/frontend = /local/domain/5/device/vbd/768
/local/domain/0/backend/vbd/5/768/uuid = {runtime:device-uuid}
/local/domain/0/backend/vbd/5/768/bootable = 1
/local/domain/0/backend/vbd/5/768/dev = hda
/local/domain/0/backend/vbd/5/768/state = 1
/local/domain/0/backend/vbd/5/768/params = /dev/vg0/golden-hvm
/local/domain/0/backend/vbd/5/768/mode = w
/local/domain/0/backend/vbd/5/768/online = 1
/local/domain/0/backend/vbd/5/768/frontend-id = 5
/local/domain/0/backend/vbd/5/768/type = phy
/vm/00000000-0000-4000-8000-0000000000aa/device/vbd/768 mkdir
/vm/00000000-0000-4000-8000-0000000000aa/device/vbd/768/frontend = /local/domain/5/device/vbd/768
/vm/00000000-0000-4000-8000-0000000000aa/device/vbd/768/frontend-id = 5
/vm/00000000-0000-4000-8000-0000000000aa/device/vbd/768/backend-id = 0
/vm/00000000-0000-4000-8000-0000000000aa/device/vbd/768/backend = /local/domain/0/backend/vbd/5/768
/local/domain/5/device/vbd/5632 rm
/local/domain/0/backend/vbd/5/5632 rm
/vm/00000000-0000-4000-8000-0000000000aa/device/vbd/5632 rm
/local/domain/0/backend/vbd/5/5632 mkdir
/local/domain/0/backend/vbd/5/5632 perms n0 r5
/local/domain/5/device/vbd/5632 mkdir
/local/domain/5/device/vbd/5632 perms n5 r0
/local/domain/5/device/vbd/5632/backend-id = 0
/local/domain/5/device/vbd/5632/virtual-device = 5632
/local/domain/5/device/vbd/5632/device-type = cdrom
/local/domain/5/device/vbd/5632/state = 1
/local/domain/5/device/vbd/5632/backend = /local/domain/0/backend/vbd/5/5632
/local/domain/0/backend/vbd/5/5632/domain = golden-hvm
/local/domain/0/backend/vbd/5/5632/frontend = /local/domain/5/device/vbd/5632
/local/domain/0/backend/vbd/5/5632/uuid = {runtime:device-uuid}
/local/domain/0/backend/vbd/5/5632/bootable = 0
/local/domain/0/backend/vbd/5/5632/dev = hdc
/local/domain/0/backend/vbd/5/5632/state = 1
/local/domain/0/backend/vbd/5/5632/params = /srv/iso/install.iso
/local/domain/0/backend/vbd/5/5632/mode = r
/local/domain/0/backend/vbd/5/5632/online = 1
/local/domain/0/backend/vbd/5/5632/frontend-id = 5
/local/domain/0/backend/vbd/5/5632/type = file
/vm/00000000-0000-4000-8000-0000000000aa/device/vbd/5632 mkdir
/vm/00000000-0000-4000-8000-0000000000aa/device/vbd/5632/frontend = /local/domain/5/device/vbd/5632
/vm/00000000-0000-4000-8000-0000000000aa/device/vbd/5632/frontend-id = 5
/vm/00000000-0000-4000-8000-0000000000aa/device/vbd/5632/backend-id = 0
/vm/00000000-0000-4000-8000-0000000000aa/device/vbd/5632/backend = /local/domain/0/backend/vbd/5/5632
/local/domain/5/device-misc/vif/nextDeviceID = 1
/local/domain/5/device/vif/0 rm
/local/domain/0/backend/vif/5/0 rm
/vm/00000000-0000-4000-8000-0000000000aa/device/vif/0 rm
/local/domain/0/backend/vif/5/0 mkdir
/local/domain/0/backend/vif/5/0 perms n0 r5
/local/domain/5/device/vif/0 mkdir
/local/domain/5/device/vif/0 perms n5 r0
/local/domain/5/device/vif/0/state = 1
/local/domain/5/device/vif/0/backend-id = 0
/local/domain/5/device/vif/0/backend = /local/domain/0/backend/vif/5/0
/local/domain/0/backend/vif/5/0/bridge = xenbr0
/local/domain/0/backend/vif/5/0/domain = golden-hvm
/local/domain/0/backend/vif/5/0/handle = 0
/local/domain/0/backend/vif/5/0/uuid = {runtime:device-uuid}
/local/domain/0/backend/vif/5/0/script = /etc/xen/scripts/vif-bridge
/local/domain/0/backend/vif/5/0/state = 1
/local/domain/0/backend/vif/5/0/frontend = /local/domain/5/device/vif/0
/local/domain/0/backend/vif/5/0/mac = 00:16:3e:21:43:65
/local/domain/0/backend/vif/5/0/online = 1
/local/domain/0/backend/vif/5/0/frontend-id = 5
/local/domain/0/backend/vif/5/0/model = e1000
/local/domain/0/backend/vif/5/0/type = ioemu
/vm/00000000-0000-4000-8000-0000000000aa/device/vif/0 mkdir
/vm/00000000-0000-4000-8000-0000000000aa/device/vif/0/frontend = /local/domain/5/device/vif/0
/vm/00000000-0000-4000-8000-0000000000aa/device/vif/0/frontend-id = 5
/vm/00000000-0000-4000-8000-0000000000aa/device/vif/0/backend-id = 0
/vm/00000000-0000-4000-8000-0000000000aa/device/vif/0/backend = /local/domain/0/backend/vif/5/0
# not modelled: the pci devices (xend's own controller writes them)
/local/domain/5/image/device-model-fifo = {runtime:device-model-fifo}
/local/domain/0/device-model/5 mkdir
/local/domain/0/device-model/5 perms n0 b5
/local/domain/5/image/device-model-pid = {runtime:device-model-pid}
/vm/00000000-0000-4000-8000-0000000000aa/on_xend_stop = ignore
/vm/00000000-0000-4000-8000-0000000000aa/pool_name = Pool-0
/vm/00000000-0000-4000-8000-0000000000aa/shadow_memory = 20
/vm/00000000-0000-4000-8000-0000000000aa/uuid = 00000000-0000-4000-8000-0000000000aa
/vm/00000000-0000-4000-8000-0000000000aa/on_reboot = restart
/vm/00000000-0000-4000-8000-0000000000aa/start_time = {runtime:start-time}
/vm/00000000-0000-4000-8000-0000000000aa/on_poweroff = destroy
/vm/00000000-0000-4000-8000-0000000000aa/bootloader_args = 
/vm/00000000-0000-4000-8000-0000000000aa/on_xend_start = ignore
/vm/00000000-0000-4000-8000-0000000000aa/on_crash = preserve
/vm/00000000-0000-4000-8000-0000000000aa/xend/restart_count = 0
/vm/00000000-0000-4000-8000-0000000000aa/vcpus = 4
/vm/00000000-0000-4000-8000-0000000000aa/vcpu_avail = 15
/vm/00000000-0000-4000-8000-0000000000aa/bootloader = 
/vm/00000000-0000-4000-8000-0000000000aa/image = (hvm (kernel '') (superpages 0) (videoram 4) (hpet 1) (stdvga 1) (vnclisten 0.0.0.0) (loader /usr/lib/xen/boot/hvmloader) (xen_platform_pci 1) (nestedhvm 0) (rtc_timeoffset 3600) (pci ()) (hap 1) (localtime 0) (timer_mode 0) (vncdisplay 3) (pci_msitranslate 1) (oos 1) (apic 1) (usbdevice tablet) (vpt_align 1) (serial pty) (vncunused 0) (soundhw es1370) (boot dc) (vncpasswd s3cret) (pae 1) (viridian 1) (acpi 1) (vnc 1) (nographic 0) (nomigrate 0) (usb 1) (tsc_mode 0) (guest_os_type default) (device_model /usr/lib/xen/bin/qemu-dm) (keymap en-us) (pci_power_mgmt 0) (xauthority /root/.Xauthority) (isa 0) (notes (SUSPEND_CANCEL 1)))
/vm/00000000-0000-4000-8000-0000000000aa/name = golden-hvm
/vm/00000000-0000-4000-8000-0000000000aa/uuid perms n0 r5
/local/domain/5/console/port = {runtime:console-port}
/local/domain/5/control/platform-feature-multiprocessor-suspend = 1
/local/domain/5/description = 
/local/domain/5/console/limit = 1048576
/local/domain/5/cpu/2/availability = online
/local/domain/5/vm = /vm/00000000-0000-4000-8000-0000000000aa
/local/domain/5/domid = 5
/local/domain/5/control/platform-feature-xs_reset_watches = 1
/local/domain/5/cpu/0/availability = online
/local/domain/5/memory/target = 2097152
/local/domain/5/store/ring-ref = {runtime:store-ring-ref}
/local/domain/5/cpu/3/availability = online
/local/domain/5/console/type = ioemu
/local/domain/5/cpu/1/availability = online
/local/domain/5/store/port = {runtime:store-port}
/local/domain/5/image/suspend-cancel = 1
/local/domain/5/name = golden-hvm
/local/domain/5/device-misc/console/nextDeviceID = 1
/local/domain/5/device/console/0 rm
/local/domain/0/backend/console/5/0 rm
/vm/00000000-0000-4000-8000-0000000000aa/device/console/0 rm
/local/domain/0/backend/console/5/0 mkdir
/local/domain/0/backend/console/5/0 perms n0 r5
/local/domain/5/device/console/0 mkdir
/local/domain/5/device/console/0 perms n5 r0
/local/domain/5/device/console/0/state = 1
/local/domain/5/device/console/0/backend-id = 0
/local/domain/5/device/console/0/backend = /local/domain/0/backend/console/5/0
/local/domain/0/backend/console/5/0/domain = golden-hvm
/local/domain/0/backend/console/5/0/protocol = vt100
/local/domain/0/backend/console/5/0/uuid = {runtime:device-uuid}
/local/domain/0/backend/console/5/0/frontend = /local/domain/5/device/console/0
/local/domain/0/backend/console/5/0/state = 1
/local/domain/0/backend/console/5/0/location = {runtime:console-port}
/local/domain/0/backend/console/5/0/online = 1
/local/domain/0/backend/console/5/0/frontend-id = 5
/vm/00000000-0000-4000-8000-0000000000aa/device/console/0 mkdir
/vm/00000000-0000-4000-8000-0000000000aa/device/console/0/frontend = /local/domain/5/device/console/0
/vm/00000000-0000-4000-8000-0000000000aa/device/console/0/frontend-id = 5
/vm/00000000-0000-4000-8000-0000000000aa/device/console/0/backend-id = 0
/vm/00000000-0000-4000-8000-0000000000aa/device/console/0/backend = /local/domain/0/backend/console/5/0
