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
/vm/00000000-0000-4000-8000-0000000000aa/image/ostype = linux
/vm/00000000-0000-4000-8000-0000000000aa/image/kernel = /boot/vmlinuz-golden
/vm/00000000-0000-4000-8000-0000000000aa/image/cmdline = 
/vm/00000000-0000-4000-8000-0000000000aa/image/ramdisk = 
/vm/00000000-0000-4000-8000-0000000000aa/image/cmdline perms n0 r5
/vm/00000000-0000-4000-8000-0000000000aa/vncpasswd = s3cret
/vm/00000000-0000-4000-8000-0000000000aa/vncpasswd perms n0 r5
@introduce 5 {runtime:store-mfn} {runtime:store-port}
/local/domain/5/device/vkbd/0 rm
/local/domain/0/backend/vkbd/5/0 rm
/vm/00000000-0000-4000-8000-0000000000aa/device/vkbd/0 rm
/local/domain/0/backend/vkbd/5/0 mkdir
/local/domain/0/backend/vkbd/5/0 perms n0 r5
/local/domain/5/device/vkbd/0 mkdir
/local/domain/5/device/vkbd/0 perms n5 r0
/local/domain/5/device/vkbd/0/protocol = {runtime:native-protocol}
/local/domain/5/device/vkbd/0/state = 1
/local/domain/5/device/vkbd/0/backend-id = 0
/local/domain/5/device/vkbd/0/backend = /local/domain/0/backend/vkbd/5/0
/local/domain/0/backend/vkbd/5/0/frontend-id = 5
/local/domain/0/backend/vkbd/5/0/domain = devices
/local/domain/0/backend/vkbd/5/0/frontend = /local/domain/5/device/vkbd/0
/local/domain/0/backend/vkbd/5/0/state = 1
/local/domain/0/backend/vkbd/5/0/online = 1
/vm/00000000-0000-4000-8000-0000000000aa/device/vkbd/0 mkdir
/vm/00000000-0000-4000-8000-0000000000aa/device/vkbd/0/frontend = /local/domain/5/device/vkbd/0
/vm/00000000-0000-4000-8000-0000000000aa/device/vkbd/0/frontend-id = 5
/vm/00000000-0000-4000-8000-0000000000aa/device/vkbd/0/backend-id = 0
/vm/00000000-0000-4000-8000-0000000000aa/device/vkbd/0/backend = /local/domain/0/backend/vkbd/5/0
/local/domain/5/device/vfb/0 rm
/local/domain/0/backend/vfb/5/0 rm
/vm/00000000-0000-4000-8000-0000000000aa/device/vfb/0 rm
/local/domain/0/backend/vfb/5/0 mkdir
/local/domain/0/backend/vfb/5/0 perms n0 r5
/local/domain/5/device/vfb/0 mkdir
/local/domain/5/device/vfb/0 perms n5 r0
/local/domain/5/device/vfb/0/protocol = {runtime:native-protocol}
/local/domain/5/device/vfb/0/state = 1
/local/domain/5/device/vfb/0/backend-id = 0
/local/domain/5/device/vfb/0/backend = /local/domain/0/backend/vfb/5/0
/local/domain/0/backend/vfb/5/0/domain = devices
/local/domain/0/backend/vfb/5/0/vnc = 1
/local/domain/0/backend/vfb/5/0/xauthority = /root/.Xauthority
/local/domain/0/backend/vfb/5/0/vnclisten = 0.0.0.0
/local/domain/0/backend/vfb/5/0/vncdisplay = 5
/local/domain/0/backend/vfb/5/0/frontend = /local/domain/5/device/vfb/0
/local/domain/0/backend/vfb/5/0/vncpasswd = s3cret
/local/domain/0/backend/vfb/5/0/state = 1
/local/domain/0/backend/vfb/5/0/keymap = de
/local/domain/0/backend/vfb/5/0/online = 1
/local/domain/0/backend/vfb/5/0/frontend-id = 5
/local/domain/0/backend/vfb/5/0/uuid = {runtime:device-uuid}
/vm/00000000-0000-4000-8000-0000000000aa/device/vfb/0 mkdir
/vm/00000000-0000-4000-8000-0000000000aa/device/vfb/0/frontend = /local/domain/5/device/vfb/0
/vm/00000000-0000-4000-8000-0000000000aa/device/vfb/0/frontend-id = 5
/vm/00000000-0000-4000-8000-0000000000aa/device/vfb/0/backend-id = 0
/vm/00000000-0000-4000-8000-0000000000aa/device/vfb/0/backend = /local/domain/0/backend/vfb/5/0
/local/domain/5/device-misc/vif/nextDeviceID = 1
/local/domain/5/device/vif/0 rm
/local/domain/0/backend/vif/5/0 rm
/vm/00000000-0000-4000-8000-0000000000aa/device/vif/0 rm
/local/domain/0/backend/vif/5/0 mkdir
/local/domain/0/backend/vif/5/0 perms n0 r5
/local/domain/5/device/vif/0 mkdir
/local/domain/5/device/vif/0 perms n5 r0
/local/domain/5/device/vif/0/mac = 00:16:3e:aa:bb:cc
/local/domain/5/device/vif/0/handle = 0
/local/domain/5/device/vif/0/protocol = {runtime:native-protocol}
/local/domain/5/device/vif/0/backend-id = 0
/local/domain/5/device/vif/0/state = 1
/local/domain/5/device/vif/0/backend = /local/domain/0/backend/vif/5/0
/local/domain/0/backend/vif/5/0/domain = devices
/local/domain/0/backend/vif/5/0/handle = 0
/local/domain/0/backend/vif/5/0/uuid = {runtime:device-uuid}
/local/domain/0/backend/vif/5/0/script = /etc/xen/scripts/vif-bridge
/local/domain/0/backend/vif/5/0/state = 1
/local/domain/0/backend/vif/5/0/frontend = /local/domain/5/device/vif/0
/local/domain/0/backend/vif/5/0/mac = 00:16:3e:aa:bb:cc
/local/domain/0/backend/vif/5/0/online = 1
/local/domain/0/backend/vif/5/0/frontend-id = 5
/vm/00000000-0000-4000-8000-0000000000aa/device/vif/0 mkdir
/vm/00000000-0000-4000-8000-0000000000aa/device/vif/0/frontend = /local/domain/5/device/vif/0
/vm/00000000-0000-4000-8000-0000000000aa/device/vif/0/frontend-id = 5
/vm/00000000-0000-4000-8000-0000000000aa/device/vif/0/backend-id = 0
/vm/00000000-0000-4000-8000-0000000000aa/device/vif/0/backend = /local/domain/0/backend/vif/5/0
/local/domain/5/device-misc/vif/nextDeviceID = 2
/local/domain/5/device/vif/1 rm
/local/domain/0/backend/vif/5/1 rm
/vm/00000000-0000-4000-8000-0000000000aa/device/vif/1 rm
/local/domain/0/backend/vif/5/1 mkdir
/local/domain/0/backend/vif/5/1 perms n0 r5
/local/domain/5/device/vif/1 mkdir
/local/domain/5/device/vif/1 perms n5 r0
/local/domain/5/device/vif/1/mac = {runtime:generated-mac}
/local/domain/5/device/vif/1/handle = 1
/local/domain/5/device/vif/1/protocol = {runtime:native-protocol}
/local/domain/5/device/vif/1/backend-id = 0
/local/domain/5/device/vif/1/state = 1
/local/domain/5/device/vif/1/backend = /local/domain/0/backend/vif/5/1
/local/domain/0/backend/vif/5/1/domain = devices
/local/domain/0/backend/vif/5/1/handle = 1
/local/domain/0/backend/vif/5/1/uuid = {runtime:device-uuid}
/local/domain/0/backend/vif/5/1/script = /etc/xen/scripts/vif-bridge
/local/domain/0/backend/vif/5/1/state = 1
/local/domain/0/backend/vif/5/1/frontend = /local/domain/5/device/vif/1
/local/domain/0/backend/vif/5/1/mac = {runtime:generated-mac}
/local/domain/0/backend/vif/5/1/online = 1
/local/domain/0/backend/vif/5/1/frontend-id = 5
/vm/00000000-0000-4000-8000-0000000000aa/device/vif/1 mkdir
/vm/00000000-0000-4000-8000-0000000000aa/device/vif/1/frontend = /local/domain/5/device/vif/1
/vm/00000000-0000-4000-8000-0000000000aa/device/vif/1/frontend-id = 5
/vm/00000000-0000-4000-8000-0000000000aa/device/vif/1/backend-id = 0
/vm/00000000-0000-4000-8000-0000000000aa/device/vif/1/backend = /local/domain/0/backend/vif/5/1
/local/domain/5/device-misc/vif/nextDeviceID = 3
/local/domain/5/device/vif/2 rm
/local/domain/0/backend/vif/5/2 rm
/vm/00000000-0000-4000-8000-0000000000aa/device/vif/2 rm
/local/domain/0/backend/vif/5/2 mkdir
/local/domain/0/backend/vif/5/2 perms n0 r5
/local/domain/5/device/vif/2 mkdir
/local/domain/5/device/vif/2 perms n5 r0
/local/domain/5/device/vif/2/mac = {runtime:generated-mac}
/local/domain/5/device/vif/2/handle = 2
/local/domain/5/device/vif/2/protocol = {runtime:native-protocol}
/local/domain/5/device/vif/2/backend-id = 0
/local/domain/5/device/vif/2/state = 1
/local/domain/5/device/vif/2/backend = /local/domain/0/backend/vif/5/2
/local/domain/0/backend/vif/5/2/domain = devices
/local/domain/0/backend/vif/5/2/handle = 2
/local/domain/0/backend/vif/5/2/uuid = {runtime:device-uuid}
/local/domain/0/backend/vif/5/2/script = /etc/xen/scripts/vif-bridge
/local/domain/0/backend/vif/5/2/state = 1
/local/domain/0/backend/vif/5/2/frontend = /local/domain/5/device/vif/2
/local/domain/0/backend/vif/5/2/mac = {runtime:generated-mac}
/local/domain/0/backend/vif/5/2/online = 1
/local/domain/0/backend/vif/5/2/frontend-id = 5
/vm/00000000-0000-4000-8000-0000000000aa/device/vif/2 mkdir
/vm/00000000-0000-4000-8000-0000000000aa/device/vif/2/frontend = /local/domain/5/device/vif/2
/vm/00000000-0000-4000-8000-0000000000aa/device/vif/2/frontend-id = 5
/vm/00000000-0000-4000-8000-0000000000aa/device/vif/2/backend-id = 0
/vm/00000000-0000-4000-8000-0000000000aa/device/vif/2/backend = /local/domain/0/backend/vif/5/2
/local/domain/5/device-misc/ioports/nextDeviceID = 1
/local/domain/5/device/ioports/0 rm
/local/domain/0/backend/ioports/5/0 rm
/vm/00000000-0000-4000-8000-0000000000aa/device/ioports/0 rm
/local/domain/0/backend/ioports/5/0 mkdir
/local/domain/0/backend/ioports/5/0 perms n0 r5
/local/domain/5/device/ioports/0 mkdir
/local/domain/5/device/ioports/0 perms n5 r0
/local/domain/5/device/ioports/0/protocol = {runtime:native-protocol}
/local/domain/5/device/ioports/0/state = 1
/local/domain/5/device/ioports/0/backend-id = 0
/local/domain/5/device/ioports/0/backend = /local/domain/0/backend/ioports/5/0
/local/domain/0/backend/ioports/5/0/domain = devices
/local/domain/0/backend/ioports/5/0/from = 0x2f8
/local/domain/0/backend/ioports/5/0/uuid = {runtime:device-uuid}
/local/domain/0/backend/ioports/5/0/frontend = /local/domain/5/device/ioports/0
/local/domain/0/backend/ioports/5/0/to = 0x2ff
/local/domain/0/backend/ioports/5/0/state = 1
/local/domain/0/backend/ioports/5/0/online = 1
/local/domain/0/backend/ioports/5/0/frontend-id = 5
/vm/00000000-0000-4000-8000-0000000000aa/device/ioports/0 mkdir
/vm/00000000-0000-4000-8000-0000000000aa/device/ioports/0/frontend = /local/domain/5/device/ioports/0
/vm/00000000-0000-4000-8000-0000000000aa/device/ioports/0/frontend-id = 5
/vm/00000000-0000-4000-8000-0000000000aa/device/ioports/0/backend-id = 0
/vm/00000000-0000-4000-8000-0000000000aa/device/ioports/0/backend = /local/domain/0/backend/ioports/5/0
/local/domain/5/device-misc/ioports/nextDeviceID = 2
/local/domain/5/device/ioports/1 rm
/local/domain/0/backend/ioports/5/1 rm
/vm/00000000-0000-4000-8000-0000000000aa/device/ioports/1 rm
/local/domain/0/backend/ioports/5/1 mkdir
/local/domain/0/backend/ioports/5/1 perms n0 r5
/local/domain/5/device/ioports/1 mkdir
/local/domain/5/device/ioports/1 perms n5 r0
/local/domain/5/device/ioports/1/protocol = {runtime:native-protocol}
/local/domain/5/device/ioports/1/state = 1
/local/domain/5/device/ioports/1/backend-id = 0
/local/domain/5/device/ioports/1/backend = /local/domain/0/backend/ioports/5/1
/local/domain/0/backend/ioports/5/1/domain = devices
/local/domain/0/backend/ioports/5/1/from = 0x3f8
/local/domain/0/backend/ioports/5/1/uuid = {runtime:device-uuid}
/local/domain/0/backend/ioports/5/1/frontend = /local/domain/5/device/ioports/1
/local/domain/0/backend/ioports/5/1/to = 0x3f8
/local/domain/0/backend/ioports/5/1/state = 1
/local/domain/0/backend/ioports/5/1/online = 1
/local/domain/0/backend/ioports/5/1/frontend-id = 5
/vm/00000000-0000-4000-8000-0000000000aa/device/ioports/1 mkdir
/vm/00000000-0000-4000-8000-0000000000aa/device/ioports/1/frontend = /local/domain/5/device/ioports/1
/vm/00000000-0000-4000-8000-0000000000aa/device/ioports/1/frontend-id = 5
/vm/00000000-0000-4000-8000-0000000000aa/device/ioports/1/backend-id = 0
/vm/00000000-0000-4000-8000-0000000000aa/device/ioports/1/backend = /local/domain/0/backend/ioports/5/1
/local/domain/5/device-misc/irq/nextDeviceID = 1
/local/domain/5/device/irq/0 rm
/local/domain/0/backend/irq/5/0 rm
/vm/00000000-0000-4000-8000-0000000000aa/device/irq/0 rm
/local/domain/0/backend/irq/5/0 mkdir
/local/domain/0/backend/irq/5/0 perms n0 r5
/local/domain/5/device/irq/0 mkdir
/local/domain/5/device/irq/0 perms n5 r0
/local/domain/5/device/irq/0/protocol = {runtime:native-protocol}
/local/domain/5/device/irq/0/state = 1
/local/domain/5/device/irq/0/backend-id = 0
/local/domain/5/device/irq/0/backend = /local/domain/0/backend/irq/5/0
/local/domain/0/backend/irq/5/0/domain = devices
/local/domain/0/backend/irq/5/0/frontend = /local/domain/5/device/irq/0
/local/domain/0/backend/irq/5/0/uuid = {runtime:device-uuid}
/local/domain/0/backend/irq/5/0/frontend-id = 5
/local/domain/0/backend/irq/5/0/irq = 3
/local/domain/0/backend/irq/5/0/online = 1
/local/domain/0/backend/irq/5/0/state = 1
/vm/00000000-0000-4000-8000-0000000000aa/device/irq/0 mkdir
/vm/00000000-0000-4000-8000-0000000000aa/device/irq/0/frontend = /local/domain/5/device/irq/0
/vm/00000000-0000-4000-8000-0000000000aa/device/irq/0/frontend-id = 5
/vm/00000000-0000-4000-8000-0000000000aa/device/irq/0/backend-id = 0
/vm/00000000-0000-4000-8000-0000000000aa/device/irq/0/backend = /local/domain/0/backend/irq/5/0
/local/domain/5/device-misc/irq/nextDeviceID = 2
/local/domain/5/device/irq/1 rm
/local/domain/0/backend/irq/5/1 rm
/vm/00000000-0000-4000-8000-0000000000aa/device/irq/1 rm
/local/domain/0/backend/irq/5/1 mkdir
/local/domain/0/backend/irq/5/1 perms n0 r5
/local/domain/5/device/irq/1 mkdir
/local/domain/5/device/irq/1 perms n5 r0
/local/domain/5/device/irq/1/protocol = {runtime:native-protocol}
/local/domain/5/device/irq/1/state = 1
/local/domain/5/device/irq/1/backend-id = 0
/local/domain/5/device/irq/1/backend = /local/domain/0/backend/irq/5/1
/local/domain/0/backend/irq/5/1/domain = devices
/local/domain/0/backend/irq/5/1/frontend = /local/domain/5/device/irq/1
/local/domain/0/backend/irq/5/1/uuid = {runtime:device-uuid}
/local/domain/0/backend/irq/5/1/frontend-id = 5
/local/domain/0/backend/irq/5/1/irq = 4
/local/domain/0/backend/irq/5/1/online = 1
/local/domain/0/backend/irq/5/1/state = 1
/vm/00000000-0000-4000-8000-0000000000aa/device/irq/1 mkdir
/vm/00000000-0000-4000-8000-0000000000aa/device/irq/1/frontend = /local/domain/5/device/irq/1
/vm/00000000-0000-4000-8000-0000000000aa/device/irq/1/frontend-id = 5
/vm/00000000-0000-4000-8000-0000000000aa/device/irq/1/backend-id = 0
/vm/00000000-0000-4000-8000-0000000000aa/device/irq/1/backend = /local/domain/0/backend/irq/5/1
# not modelled: the vusb devices (xend's own controller writes them)
# not modelled: the vif2 devices (xend's own controller writes them)
/local/domain/5/image/device-model-fifo = {runtime:device-model-fifo}
/local/domain/0/device-model/5 mkdir
/local/domain/0/device-model/5 perms n0 b5
/local/domain/5/image/device-model-pid = {runtime:device-model-pid}
/vm/00000000-0000-4000-8000-0000000000aa/on_xend_stop = ignore
/vm/00000000-0000-4000-8000-0000000000aa/pool_name = Pool-0
/vm/00000000-0000-4000-8000-0000000000aa/shadow_memory = 0
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
/vm/00000000-0000-4000-8000-0000000000aa/image = (linux (kernel /boot/vmlinuz-golden) (superpages 0) (videoram 4) (pci ()) (nomigrate 0) (tsc_mode 0) (device_model /usr/lib/xen/bin/qemu-dm) (notes {runtime:elf-notes}))
/vm/00000000-0000-4000-8000-0000000000aa/name = devices
/vm/00000000-0000-4000-8000-0000000000aa/uuid perms n0 r5
# runtime: /local/domain/5/image/* = the kernel's ELF notes {runtime:elf-notes}
/local/domain/5/console/ring-ref = {runtime:console-ring-ref}
/local/domain/5/console/port = {runtime:console-port}
/local/domain/5/store/ring-ref = {runtime:store-ring-ref}
/local/domain/5/vm = /vm/00000000-0000-4000-8000-0000000000aa
/local/domain/5/control/platform-feature-multiprocessor-suspend = 1
/local/domain/5/memory/target = 131072
/local/domain/5/control/platform-feature-xs_reset_watches = 1
/local/domain/5/description = 
/local/domain/5/console/limit = 1048576
/local/domain/5/cpu/0/availability = online
/local/domain/5/console/type = ioemu
/local/domain/5/name = devices
/local/domain/5/domid = 5
/local/domain/5/store/port = {runtime:store-port}
/local/domain/5/device-misc/console/nextDeviceID = 1
/local/domain/5/device/console/0 rm
/local/domain/0/backend/console/5/0 rm
/vm/00000000-0000-4000-8000-0000000000aa/device/console/0 rm
/local/domain/0/backend/console/5/0 mkdir
/local/domain/0/backend/console/5/0 perms n0 r5
/local/domain/5/device/console/0 mkdir
/local/domain/5/device/console/0 perms n5 r0
/local/domain/5/device/console/0/protocol = {runtime:native-protocol}
/local/domain/5/device/console/0/state = 1
/local/domain/5/device/console/0/backend-id = 0
/local/domain/5/device/console/0/backend = /local/domain/0/backend/console/5/0
/local/domain/0/backend/console/5/0/domain = devices
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
