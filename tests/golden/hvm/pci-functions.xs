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
/vm/00000000-0000-4000-8000-0000000000aa/image/dmargs = -domain-name pci-functions -videoram 4 -vcpus 1 -vcpu_avail 0x1 -boot c -acpi -net none
/vm/00000000-0000-4000-8000-0000000000aa/image/device-model = /usr/lib/xen/bin/qemu-dm
/vm/00000000-0000-4000-8000-0000000000aa/image/display = 
/vm/00000000-0000-4000-8000-0000000000aa/image/dmargs perms n0 r5
/local/domain/0/device-model/5/disable_pf = 0
/vm/00000000-0000-4000-8000-0000000000aa/rtc/timeoffset = 0
/vm/00000000-0000-4000-8000-0000000000aa/rtc/timeoffset perms n0 r5
@introduce 5 {runtime:store-mfn} {runtime:store-port}
# not modelled: the pci devices (xend's own controller writes them)
/local/domain/5/image/device-model-fifo = {runtime:device-model-fifo}
/local/domain/0/device-model/5 mkdir
/local/domain/0/device-model/5 perms n0 b5
/local/domain/5/image/device-model-pid = {runtime:device-model-pid}
/vm/00000000-0000-4000-8000-0000000000aa/on_xend_stop = ignore
/vm/00000000-0000-4000-8000-0000000000aa/pool_name = Pool-0
/vm/00000000-0000-4000-8000-0000000000aa/shadow_memory = 2
/vm/00000000-0000-4000-8000-0000000000aa/uuid = 00000000-0000-4000-8000-0000000000aa
/vm/00000000-0000-4000-8000-0000000000aa/on_reboot = restart
/vm/00000000-0000-4000-8000-0000000000aa/start_time = {runtime:start-time}
/vm/00000000-0000-4000-8000-0000000000aa/on_poweroff = destroy
/vm/00000000-0000-4000-8000-0000000000aa/bootloader_args = 
/vm/00000000-0000-4000-8000-0000000000aa/on_xend_start = ignore
/vm/00000000-0000-4000-8000-0000000000aa/on_crash = restart
/vm/00000000-0000-4000-8000-0000000000aa/xend/restart_count = 0
/vm/00000000-0000-4000-8000-0000000000aa/vcpus = 1
/vm/00000000-0000-4000-8000-0000000000aa/vcpu_avail = 1
/vm/00000000-0000-4000-8000-0000000000aa/bootloader = 
/vm/00000000-0000-4000-8000-0000000000aa/image = (hvm (kernel '') (superpages 0) (videoram 4) (hpet 0) (stdvga 0) (loader /usr/lib/xen/boot/hvmloader) (xen_platform_pci 1) (nestedhvm 0) (rtc_timeoffset 0) (pci ()) (hap 1) (localtime 0) (timer_mode 1) (pci_msitranslate 1) (oos 1) (apic 1) (vpt_align 1) (vncunused 1) (boot c) (pae 1) (viridian 0) (acpi 1) (nographic 0) (nomigrate 0) (usb 0) (tsc_mode 0) (guest_os_type default) (device_model /usr/lib/xen/bin/qemu-dm) (pci_power_mgmt 0) (xauthority /root/.Xauthority) (isa 0) (notes (SUSPEND_CANCEL 1)))
/vm/00000000-0000-4000-8000-0000000000aa/name = pci-functions
/vm/00000000-0000-4000-8000-0000000000aa/uuid perms n0 r5
/local/domain/5/console/port = {runtime:console-port}
/local/domain/5/control/platform-feature-multiprocessor-suspend = 1
/local/domain/5/description = 
/local/domain/5/console/limit = 1048576
/local/domain/5/vm = /vm/00000000-0000-4000-8000-0000000000aa
/local/domain/5/domid = 5
/local/domain/5/control/platform-feature-xs_reset_watches = 1
/local/domain/5/cpu/0/availability = online
/local/domain/5/memory/target = 131072
/local/domain/5/store/ring-ref = {runtime:store-ring-ref}
/local/domain/5/console/type = ioemu
/local/domain/5/store/port = {runtime:store-port}
/local/domain/5/image/suspend-cancel = 1
/local/domain/5/name = pci-functions
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
/local/domain/0/backend/console/5/0/domain = pci-functions
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
