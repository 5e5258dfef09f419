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
@introduce 5 {runtime:store-mfn} {runtime:store-port}
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
/vm/00000000-0000-4000-8000-0000000000aa/image = (linux (kernel /boot/vmlinuz-golden) (superpages 0) (videoram 4) (pci ()) (nomigrate 0) (tsc_mode 0) (notes {runtime:elf-notes}))
/vm/00000000-0000-4000-8000-0000000000aa/name = false-name-builder.cfg
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
/local/domain/5/console/type = xenconsoled
/local/domain/5/name = false-name-builder.cfg
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
/local/domain/0/backend/console/5/0/domain = false-name-builder.cfg
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
