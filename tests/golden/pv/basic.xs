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
/vm/00000000-0000-4000-8000-0000000000aa/image/cmdline = root=/dev/xvda1 ro console=hvc0 quiet
/vm/00000000-0000-4000-8000-0000000000aa/image/ramdisk = /boot/initrd-golden
/vm/00000000-0000-4000-8000-0000000000aa/image/cmdline perms n0 r5
@introduce 5 {runtime:store-mfn} {runtime:store-port}
/local/domain/5/device/vbd/51713 rm
/local/domain/0/backend/vbd/5/51713 rm
/vm/00000000-0000-4000-8000-0000000000aa/device/vbd/51713 rm
/local/domain/0/backend/vbd/5/51713 mkdir
/local/domain/0/backend/vbd/5/51713 perms n0 r5
/local/domain/5/device/vbd/51713 mkdir
/local/domain/5/device/vbd/51713 perms n5 r0
/local/domain/5/device/vbd/51713/virtual-device = 51713
/local/domain/5/device/vbd/51713/device-type = disk
/local/domain/5/device/vbd/51713/protocol = {runtime:native-protocol}
/local/domain/5/device/vbd/51713/backend-id = 0
/local/domain/5/device/vbd/51713/state = 1
/local/domain/5/device/vbd/51713/backend = /local/domain/0/backend/vbd/5/51713
/local/domain/0/backend/vbd/5/51713/domain = golden-pv
/local/domain/0/backend/vbd/5/51713/frontend = /local/domain/5/device/vbd/51713
/local/domain/0/backend/vbd/5/51713/uuid = {runtime:device-uuid}
/local/domain/0/backend/vbd/5/51713/bootable = 1
/local/domain/0/backend/vbd/5/51713/dev = xvda1
/local/domain/0/backend/vbd/5/51713/state = 1
/local/domain/0/backend/vbd/5/51713/params = /dev/vg0/golden-root
/local/domain/0/backend/vbd/5/51713/mode = w
/local/domain/0/backend/vbd/5/51713/online = 1
/local/domain/0/backend/vbd/5/51713/frontend-id = 5
/local/domain/0/backend/vbd/5/51713/type = phy
/vm/00000000-0000-4000-8000-0000000000aa/device/vbd/51713 mkdir
/vm/00000000-0000-4000-8000-0000000000aa/device/vbd/51713/frontend = /local/domain/5/device/vbd/51713
/vm/00000000-0000-4000-8000-0000000000aa/device/vbd/51713/frontend-id = 5
/vm/00000000-0000-4000-8000-0000000000aa/device/vbd/51713/backend-id = 0
/vm/00000000-0000-4000-8000-0000000000aa/device/vbd/51713/backend = /local/domain/0/backend/vbd/5/51713
/local/domain/5/device/vbd/51728 rm
/local/domain/0/backend/vbd/5/51728 rm
/vm/00000000-0000-4000-8000-0000000000aa/device/vbd/51728 rm
/local/domain/0/backend/vbd/5/51728 mkdir
/local/domain/0/backend/vbd/5/51728 perms n0 r5
/local/domain/5/device/vbd/51728 mkdir
/local/domain/5/device/vbd/51728 perms n5 r0
/local/domain/5/device/vbd/51728/virtual-device = 51728
/local/domain/5/device/vbd/51728/device-type = disk
/local/domain/5/device/vbd/51728/protocol = {runtime:native-protocol}
/local/domain/5/device/vbd/51728/backend-id = 0
/local/domain/5/device/vbd/51728/state = 1
/local/domain/5/device/vbd/51728/backend = /local/domain/0/backend/vbd/5/51728
/local/domain/0/backend/vbd/5/51728/domain = golden-pv
/local/domain/0/backend/vbd/5/51728/frontend = /local/domain/5/device/vbd/51728
/local/domain/0/backend/vbd/5/51728/uuid = {runtime:device-uuid}
/local/domain/0/backend/vbd/5/51728/bootable = 0
/local/domain/0/backend/vbd/5/51728/dev = xvdb
/local/domain/0/backend/vbd/5/51728/state = 1
/local/domain/0/backend/vbd/5/51728/params = /srv/xen/golden-data.img
/local/domain/0/backend/vbd/5/51728/mode = r
/local/domain/0/backend/vbd/5/51728/online = 1
/local/domain/0/backend/vbd/5/51728/frontend-id = 5
/local/domain/0/backend/vbd/5/51728/type = file
/vm/00000000-0000-4000-8000-0000000000aa/device/vbd/51728 mkdir
/vm/00000000-0000-4000-8000-0000000000aa/device/vbd/51728/frontend = /local/domain/5/device/vbd/51728
/vm/00000000-0000-4000-8000-0000000000aa/device/vbd/51728/frontend-id = 5
/vm/00000000-0000-4000-8000-0000000000aa/device/vbd/51728/backend-id = 0
/vm/00000000-0000-4000-8000-0000000000aa/device/vbd/51728/backend = /local/domain/0/backend/vbd/5/51728
/local/domain/5/device/vbd/51744 rm
/local/domain/0/backend/tap/5/51744 rm
/vm/00000000-0000-4000-8000-0000000000aa/device/tap/51744 rm
/local/domain/0/backend/tap/5/51744 mkdir
/local/domain/0/backend/tap/5/51744 perms n0 r5
/local/domain/5/device/vbd/51744 mkdir
/local/domain/5/device/vbd/51744 perms n5 r0
/local/domain/5/device/vbd/51744/virtual-device = 51744
/local/domain/5/device/vbd/51744/device-type = disk
/local/domain/5/device/vbd/51744/protocol = {runtime:native-protocol}
/local/domain/5/device/vbd/51744/backend-id = 0
/local/domain/5/device/vbd/51744/state = 1
/local/domain/5/device/vbd/51744/backend = /local/domain/0/backend/tap/5/51744
/local/domain/0/backend/tap/5/51744/domain = golden-pv
/local/domain/0/backend/tap/5/51744/frontend = /local/domain/5/device/vbd/51744
/local/domain/0/backend/tap/5/51744/uuid = {runtime:device-uuid}
/local/domain/0/backend/tap/5/51744/bootable = 0
/local/domain/0/backend/tap/5/51744/dev = xvdc
/local/domain/0/backend/tap/5/51744/state = 1
/local/domain/0/backend/tap/5/51744/params = aio:/srv/xen/golden-scratch.img
/local/domain/0/backend/tap/5/51744/mode = w!
/local/domain/0/backend/tap/5/51744/online = 1
/local/domain/0/backend/tap/5/51744/frontend-id = 5
/local/domain/0/backend/tap/5/51744/type = tap
/vm/00000000-0000-4000-8000-0000000000aa/device/tap/51744 mkdir
/vm/00000000-0000-4000-8000-0000000000aa/device/tap/51744/frontend = /local/domain/5/device/vbd/51744
/vm/00000000-0000-4000-8000-0000000000aa/device/tap/51744/frontend-id = 5
/vm/00000000-0000-4000-8000-0000000000aa/device/tap/51744/backend-id = 0
/vm/00000000-0000-4000-8000-0000000000aa/device/tap/51744/backend = /local/domain/0/backend/tap/5/51744
/local/domain/5/device-misc/vif/nextDeviceID = 1
/local/domain/5/device/vif/0 rm
/local/domain/0/backend/vif/5/0 rm
/vm/00000000-0000-4000-8000-0000000000aa/device/vif/0 rm
/local/domain/0/backend/vif/5/0 mkdir
/local/domain/0/backend/vif/5/0 perms n0 r5
/local/domain/5/device/vif/0 mkdir
/local/domain/5/device/vif/0 perms n5 r0
/local/domain/5/device/vif/0/mac = 00:16:3e:12:34:56
/local/domain/5/device/vif/0/handle = 0
/local/domain/5/device/vif/0/protocol = {runtime:native-protocol}
/local/domain/5/device/vif/0/backend-id = 0
/local/domain/5/device/vif/0/state = 1
/local/domain/5/device/vif/0/backend = /local/domain/0/backend/vif/5/0
/local/domain/0/backend/vif/5/0/bridge = xenbr0
/local/domain/0/backend/vif/5/0/domain = golden-pv
/local/domain/0/backend/vif/5/0/handle = 0
/local/domain/0/backend/vif/5/0/uuid = {runtime:device-uuid}
/local/domain/0/backend/vif/5/0/script = /etc/xen/scripts/vif-bridge
/local/domain/0/backend/vif/5/0/rate = 62500,50000
/local/domain/0/backend/vif/5/0/frontend = /local/domain/5/device/vif/0
/local/domain/0/backend/vif/5/0/mac = 00:16:3e:12:34:56
/local/domain/0/backend/vif/5/0/state = 1
/local/domain/0/backend/vif/5/0/vifname = golden0
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
/local/domain/0/backend/vif/5/1/bridge = xenbr1
/local/domain/0/backend/vif/5/1/domain = golden-pv
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
/vm/00000000-0000-4000-8000-0000000000aa/on_xend_stop = ignore
/vm/00000000-0000-4000-8000-0000000000aa/pool_name = Pool-0
/vm/00000000-0000-4000-8000-0000000000aa/shadow_memory = 0
/vm/00000000-0000-4000-8000-0000000000aa/uuid = 00000000-0000-4000-8000-0000000000aa
/vm/00000000-0000-4000-8000-0000000000aa/on_reboot = restart
/vm/00000000-0000-4000-8000-0000000000aa/start_time = {runtime:start-time}
/vm/00000000-0000-4000-8000-0000000000aa/on_poweroff = destroy
/vm/00000000-0000-4000-8000-0000000000aa/bootloader_args = 
/vm/00000000-0000-4000-8000-0000000000aa/on_xend_start = ignore
/vm/00000000-0000-4000-8000-0000000000aa/on_crash = coredump-restart
/vm/00000000-0000-4000-8000-0000000000aa/xend/restart_count = 0
/vm/00000000-0000-4000-8000-0000000000aa/vcpus = 2
/vm/00000000-0000-4000-8000-0000000000aa/vcpu_avail = 3
/vm/00000000-0000-4000-8000-0000000000aa/bootloader = 
/vm/00000000-0000-4000-8000-0000000000aa/image = (linux (kernel /boot/vmlinuz-golden) (ramdisk /boot/initrd-golden) (args 'root=/dev/xvda1 ro console=hvc0 quiet') (superpages 0) (videoram 4) (pci ()) (nomigrate 0) (tsc_mode 0) (notes {runtime:elf-notes}))
/vm/00000000-0000-4000-8000-0000000000aa/name = golden-pv
/vm/00000000-0000-4000-8000-0000000000aa/uuid perms n0 r5
# runtime: /local/domain/5/image/* = the kernel's ELF notes {runtime:elf-notes}
/local/domain/5/console/ring-ref = {runtime:console-ring-ref}
/local/domain/5/console/port = {runtime:console-port}
/local/domain/5/store/ring-ref = {runtime:store-ring-ref}
/local/domain/5/vm = /vm/00000000-0000-4000-8000-0000000000aa
/local/domain/5/control/platform-feature-multiprocessor-suspend = 1
/local/domain/5/cpu/1/availability = online
/local/domain/5/memory/target = 524288
/local/domain/5/control/platform-feature-xs_reset_watches = 1
/local/domain/5/description = golden PV guest
/local/domain/5/console/limit = 1048576
/local/domain/5/cpu/0/availability = online
/local/domain/5/console/type = xenconsoled
/local/domain/5/name = golden-pv
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
/local/domain/0/backend/console/5/0/domain = golden-pv
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
