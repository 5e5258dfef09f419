"""The schema's back-end columns tell the truth, by their effect (issue 7): for every
variable that can be set on the command line, compile a small config of each guest type
it applies to, once as it is and once with NAME=VALUE (a value other than the default),
with every back end. A variable a back end leaves out (`ignore`) must not change that back
end's output; one it drops (`drop`) may only add the note saying so (a comment line); one
it writes (`custom`, `generic`, `sxp`) must change it. So a new variable whose columns
claim more or less than the writers do fails here, naming the back end. (vscsi is left
out: a vscsi entry needs a SCSI device of the host running the test.)"""

import difflib
import json
import re
import os
import subprocess
import sys
import tempfile

import xmtest

BACKENDS = ['sxp', 'xml', 'xenstore', 'xl', 'libvirt']
# The back ends whose `custom` column says where the variable goes (its places).
PLACED = ('xl', 'libvirt', 'xenstore')
# --derive: print the places each custom variable changes, instead of checking them.
DERIVE = {} if '--derive' in sys.argv else None
OPTIONS = {'xenstore': ['--domid', '5', '--uuid', '00000000-0000-4000-8000-0000000000aa']}

BASES = {
    'pv': "name = 'eff'\nkernel = '/boot/vmlinuz-golden'\nmemory = 256\nvif = ['']\n"
          "disk = ['phy:/dev/vg/eff,xvda,w']\n",
    'hvm': "name = 'eff'\nbuilder = 'hvm'\nmemory = 512\nvif = ['type=ioemu']\n"
           "disk = ['phy:/dev/vg/eff,hda,w']\nvnc = 1\n",
}

# Values of a form the schema's type does not say (it says "string").
VALUES = {
    'uuid': '3f2c1a9e-5b7d-4c8e-9f10-2a3b4c5d6e7f', 'ip': '10.0.0.2', 'netmask': '255.255.255.0',
    'gateway': '10.0.0.1', 'nfs_server': '10.0.0.9', 'cpus': '0-1', 'cpu': '1', 'pool': 'pool1',
    'bootloader': '/usr/bin/pygrub', 'kernel': '/boot/initrd-golden', 'ramdisk': '/boot/initrd-golden',
    'loader': '/usr/bin/pygrub', 'device_model': '/usr/lib/xen/bin/qemu-dm-other',
    'vnclisten': '0.0.0.0', 'keymap': 'de', 'boot': 'd', 'soundhw': 'es1370', 'serial': 'pty',
    'parallel': 'none', 'usbdevice': 'tablet', 'monitor_path': '/tmp/mon', 'nfs_root': '/export/r',
    'fda': '/tmp/floppy.img', 'fdb': '/tmp/floppy2.img', 'display': ':1', 'xauthority': '/tmp/xa',
    'guest_os_type': 'linux', 'gfx_passthru': '1', 'memory': '300', 'maxmem': '1024',
    'shadow_memory': '8', 'hostname': 'h1', 'interface': 'eth1', 'dhcp': 'dhcp', 'root': '/dev/xvda2',
    'extra': 'quiet', 'bootargs': '--entry=1', 'description': 'effect test', 'vcpus': '2',
    'maxvcpus': '4', 'videoram': '8', 'rtc_timeoffset': '3600', 'timer_mode': '2',
    'vncpasswd': 'pw', 'vncdisplay': '3', 'cpu_cap': '50', 'on_poweroff': 'restart', 'restart': 'always',
    'vnc': '0', 'parallel': 'pty', 'opengl': '0',
    # list variables: NAME=VALUE appends one item
    'disk': 'phy:/dev/vg/extra,xvdb,w', 'vif': 'bridge=xenbr1', 'vif2': 'bridge=xenbr1', 'pci': '0000:03:00.0',
    'vfb': 'type=vnc', 'vusb': 'usbver=2,numports=4', 'ioports': '300-310',
    'irq': '7', 'cpuid': 'host,tm=0', 'cpuid_check': 'host,tm=0', 'access_control': 'policy=,label=x',
}
# Settings a variable takes effect only together with (test set-up, not exemptions).
WITH = {
    'bootargs': ['bootloader=/usr/bin/pygrub'], 'pci_msitranslate': ['pci=0000:03:00.0'],
    'pci_power_mgmt': ['pci=0000:03:00.0'], 'maxvcpus': ['vcpus=2'],
    'gateway': ['ip=10.0.0.2'], 'netmask': ['ip=10.0.0.2'], 'hostname': ['ip=10.0.0.2'],
    'interface': ['ip=10.0.0.2'], 'nfs_server': ['ip=10.0.0.2'], 'nfs_root': ['nfs_server=10.0.0.9'],
    'sdl': ['vnc=0'], 'opengl': ['vnc=0', 'sdl=1'], 'display': ['vnc=0', 'sdl=1'],
    'xauthority': ['vnc=0', 'sdl=1'], 'vncdisplay': ['vncunused=no'],
}


def value_for(var):
    name = var['name']
    if name in VALUES:
        return VALUES[name]
    default = var.get('default')
    if var.get('values'):
        return next(v for v in var['values'] if repr(v) != default and "'%s'" % v != default)
    if var['conv'] == 'bool':  # xm's converter takes yes/y/no/n
        return 'no' if default in ('1', 'True') else 'yes'
    if var['type'] == 'bool':
        return '0' if default in ('1', 'True') else '1'
    if var['type'] == 'int':
        low, high = var.get('range', [0, 100])
        for candidate in (high, low, low + 1):
            if str(candidate) != default:
                return str(candidate)
    if var['type'] == 'string':
        return 'effect'
    return None


def compile_(xmc, cfg, backend, words, variable=None):
    options = OPTIONS.get(backend, [])
    if variable == 'uuid':
        options = [o for o in options if o != '--uuid' and not o.startswith('00000000-')]
    cmd = [xmc, '--root', xmtest.GOLDEN_ROOT, 'compile', '--emit', backend] + options + \
        [os.path.basename(cfg)] + words
    p = subprocess.run(cmd, cwd=os.path.dirname(cfg), env=xmtest.REFERENCE_ENV, capture_output=True, timeout=60)
    return p.returncode, p.stdout


def places(backend, before, after):
    """Where two outputs of a back end differ: xl.cfg keys, libvirt elements, XenStore paths
    (DOM for /local/domain/<id>, VM for /vm/<uuid>, N for numbers)."""
    a, b = before.decode('utf-8', 'replace').splitlines(), after.decode('utf-8', 'replace').splitlines()
    if backend == 'xenstore':
        # A write that only moved (xend's dicts are written in hash order) changed nothing there.
        changed = ['-' + l for l in set(a) - set(b)] + ['+' + l for l in set(b) - set(a)]
    else:
        changed = [l for l in difflib.unified_diff(a, b, lineterm='', n=0)
                   if l[:1] in '+-' and not l.startswith(('+++', '---'))]
    out = set()
    for line in changed:
        text = line[1:].strip()
        if not text or text.startswith('#'):
            continue
        if backend == 'xl':
            out.add(text.split('=')[0].strip())
        elif backend == 'libvirt':
            m = re.match(r'</?([A-Za-z_:-]+)', text)
            if m:
                out.add(m.group(1))
        elif backend == 'xenstore':
            path = text.split()[0]
            path = re.sub(r'^/local/domain/\d+', 'DOM', path)
            path = re.sub(r'^/vm/[0-9a-f-]+', 'VM', path)
            out.add(re.sub(r'\d+', 'N', path))
    return out


def without_comments(out):
    return b'\n'.join(line for line in out.split(b'\n') if line.strip() and not line.lstrip().startswith(b'#'))


def main():
    tally = xmtest.Tally()
    schema = json.loads(subprocess.run([xmtest.XMC, 'schema', '--format', 'json'], check=True,
                                       capture_output=True).stdout)
    with tempfile.TemporaryDirectory(prefix='xmc-effect-') as tmp:
        rc = check_all(schema, tmp, tally)
    if DERIVE is not None:
        print(json.dumps(DERIVE, indent=1, sort_keys=True))
    return rc


def check_all(schema, tmp, tally):
    cfgs = {}
    for guest, text in BASES.items():
        cfgs[guest] = os.path.join(tmp, guest + '.cfg')
        with open(cfgs[guest], 'w') as f:
            f.write(text)
    for var in schema['variables']:
        value = value_for(var)
        if value is None or var['conv'] == 'none' or var['type'] == 'vscsi':
            continue  # script variables are set by code; vscsi needs the host's SCSI devices
        guests = ['pv', 'hvm'] if var['scope'] == 'all' else [var['scope']]
        for backend in BACKENDS:
            treatment = var['backends'][backend]['treatment']
            changed_somewhere = False
            seen = set()
            for guest in guests:
                words = WITH.get(var['name'], []) + ['%s=%s' % (var['name'], value)]
                rc0, out0 = compile_(xmtest.XMC, cfgs[guest], backend, WITH.get(var['name'], []), var['name'])
                rc1, out1 = compile_(xmtest.XMC, cfgs[guest], backend, words, var['name'])
                if rc0 != 0:
                    # Only a back end that refuses the base config itself (the Xen-API XML of a PV guest).
                    tally.check(compile_(xmtest.XMC, cfgs[guest], backend, [])[0] != 0,
                                '%s: %s (%s) does not compile' % (backend, ' '.join(WITH[var['name']]), guest))
                    continue
                if var['name'] == 'uuid':
                    # Without --uuid a config without one gets a fresh UUID: look for the value.
                    out0 = b'' if value.encode() in out1 else out1
                tally.check(rc1 == 0, '%s: %s=%s (%s) does not compile: pick another value'
                            % (backend, var['name'], value, guest))
                if treatment == 'ignore':
                    tally.check(out0 == out1, '%s: %s=%s (%s) is marked ignore but changes the output'
                                % (backend, var['name'], value, guest))
                elif treatment == 'drop':
                    tally.check(without_comments(out0) == without_comments(out1),
                                '%s: %s=%s (%s) is marked drop but changes more than a note'
                                % (backend, var['name'], value, guest))
                changed_somewhere = changed_somewhere or out0 != out1
                seen |= places(backend, out0, out1)
            if treatment in ('custom', 'generic', 'sxp'):
                tally.check(changed_somewhere, '%s: %s=%s is marked %s but changes nothing'
                            % (backend, var['name'], value, treatment))
            if treatment == 'custom' and backend in PLACED:
                declared = set(var['backends'][backend].get('places', []))
                if DERIVE is not None:
                    DERIVE.setdefault(var['name'], {})[backend] = sorted(seen)
                else:
                    tally.check(declared == seen, '%s: %s=%s is declared at %s but changes %s'
                                % (backend, var['name'], value, sorted(declared), sorted(seen)))
    return tally.finish('schema effects')


if __name__ == '__main__':
    sys.exit(main())
