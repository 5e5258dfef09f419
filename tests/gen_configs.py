"""Random xm configs for differential tests: `gen_configs.py XMC SEED COUNT OUTDIR`.

Every variable of xmc's schema (`xmc schema --format json`) gets values of its own type,
of the wrong type, out of its range or set, misspelt, and as spec strings with good and
bad fields; some files carry Python code (imports, ifs, loops, string formatting,
xm_vars). The same seed gives the same files. The kernels named exist under
tests/golden/root, so the files are meant to run with `--root tests/golden/root`.
"""

import json
import os
import random
import subprocess
import sys

import xm_differential

KERNELS = ['/boot/vmlinuz-golden'] * 8 + ['/boot/missing-kernel', 'vmlinuz-golden']
RAMDISKS = ['/boot/initrd-golden'] * 4 + ['/boot/missing-initrd']
WORDS = ['web1', 'db', 'x y', "it's", 'caf\u00e9', '', 'a' * 30, 'xenbr0', '0', '1', 'yes', 'none']


def mac(r):
    if r.random() < 0.1:
        return r.choice(['zz:00:00:00:00:00', '00:16:3e', '00:16:3E:AA:bb:01'])
    return '00:16:3e:%02x:%02x:%02x' % (r.randrange(256), r.randrange(4), r.randrange(256))


def disk(r):
    if r.random() < 0.08:
        return r.choice(['phy:sda1', 'file:/x.img,hda', 'vdev=xvda,target=/x.img', 'phy:sda1,xvda,x',
                         ' phy:sda1 , xvda, w', 'phy:sda1,xvda,w,extra,more,toomany', 'nothing:/x,xvdz,r'])
    uname = r.choice(['phy:/dev/vg/%s' % r.choice(['a', 'b']), 'phy:sda%d' % r.randrange(4),
                      'file:/srv/%s.img' % r.choice(['a', 'b']), 'tap:aio:/srv/t.img', 'tap:qcow2:/srv/q.qcow2',
                      'tap2:tapdisk:aio:/srv/t2.img', 'file:/iso/cd.iso', '', 'nbd:host:10809', 'drbd:res0'])
    dev = r.choice(['xvda', 'xvdb', 'hda', 'hdc:cdrom', 'sda', 'ioemu:hdb', 'xvda1', 'xvdaa', 'hdc'])
    mode = r.choice(['w', 'r', 'w!', 'rw', 'ro'])
    fields = [uname, dev, mode]
    if r.random() < 0.1:
        fields.append(r.choice(['0', 'backend=1', 'x86_32-abi']))
    return ','.join(fields)


def vif(r):
    keys = []
    for _ in range(r.randrange(4)):
        k = r.choice(['mac', 'bridge', 'ip', 'model', 'type', 'vifname', 'script', 'rate', 'backend', 'bogus'])
        v = {'mac': mac(r), 'bridge': r.choice(['xenbr0', 'br1']), 'ip': '10.0.0.%d' % r.randrange(9),
             'model': r.choice(['e1000', 'rtl8139', 'netfront']), 'type': r.choice(['ioemu', 'netfront']),
             'vifname': 'vif%d' % r.randrange(3), 'script': 'vif-bridge', 'rate': '10Mb/s',
             'backend': '0', 'bogus': 'x'}[k]
        keys.append('%s=%s' % (k, v))
    if r.random() < 0.05:
        keys.append('novalue')
    return r.choice([', ', ',']).join(keys)


def spec_list(r, kind):
    n = r.randrange(4)
    if kind == 'disk':
        return [disk(r) for _ in range(n)]
    if kind == 'vif':
        return [vif(r) for _ in range(n)]
    if kind == 'vif2':
        return ['front_mac=%s, bridge=xenbr0' % mac(r) for _ in range(n)]
    if kind == 'vfb':
        return [r.choice(['type=vnc', 'vnc=1,vncdisplay=%d' % r.randrange(9), 'sdl=1', 'vnc=1,vnclisten=0.0.0.0',
                          'type=sdl,display=:0', 'bogus=1', 'vnc=1,keymap=de,vncpasswd=pw'])
                for _ in range(n)]
    if kind == 'vusb':
        return [r.choice(['usbver=2, numports=4, port_1=1-1', 'usbver=1', 'numports=x', 'port_9=1-2'])
                for _ in range(n)]
    if kind == 'pci':
        return [r.choice(['01:00.0', '0000:02:00.1', '03:00.0,msitranslate=1', '04:00.*', '05:1f.7@8',
                          'zz:00.0', '06:00.0,power_mgmt=1,permissive=0', '07:00.0,bogus=1'])
                for _ in range(n)]
    if kind == 'vscsi':
        return [r.choice(['/dev/sdb,0:0:0:0', '1:0:0:0,0:0:0:1', 'bad', '/dev/sdc,0:0:0:2,backend']) for _ in range(n)]
    if kind == 'ioports':
        return [r.choice(['2f8-2ff', '3f8', 'zz', '10-5', '0x60']) for _ in range(n)]
    if kind == 'irq':
        return [r.choice([3, 4, 'x', 7]) for _ in range(n)]
    if kind == 'cpuid':
        return [r.choice(['host,tm=0,sse3=0', '1:eax=xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx', '0x1:ecx=0x0',
                          '1,0:edx=' + '1' * 32, 'bogus']) for _ in range(n)]
    if kind == 'access_control':
        return [r.choice(['policy=pol,label=dom_x', 'policy=,label=x', 'nonsense'])]
    return []


def value_for(r, spec):
    t = spec['type']
    roll = r.random()
    if roll < 0.03:  # a value of some other type
        return r.choice([None, True, (1, 2), {'a': 1}, 1.5, 'str', 7, ['l']])
    if t == 'int':
        lo, hi = spec.get('range', [0, 100])
        if roll < 0.08:
            return r.choice([lo - 1, hi + 1, str(lo), -5])
        return r.randint(lo, min(hi, lo + 64))
    if t == 'bool':
        return r.choice([0, 1, 1, 'yes', 2])
    if t == 'string':
        if spec.get('values'):
            return r.choice(spec['values'] + ['bogus'])
        if spec['name'] == 'kernel':
            return r.choice(KERNELS)
        if spec['name'] == 'ramdisk':
            return r.choice(RAMDISKS)
        if spec['name'] == 'uuid':
            return r.choice(['8f0e4c1a-1b2c-4d5e-8f90-123456789abc', '8f0e4c1a1b2c4d5e8f90123456789abc', 'nope'])
        if spec['name'] == 'boot':
            return r.choice(['c', 'dc', 'cdn', 'x'])
        return r.choice(WORDS)
    if t == 'cpus':
        return r.choice(['0-3', '^1', '0-3,^2', 'x', ['0', '1-2'], '', '9000', 1])
    if t == 'cpuid':
        return spec_list(r, 'cpuid')
    if roll < 0.1:
        return 'phy:sda1,xvda,w'  # a string where a list belongs
    return spec_list(r, t)


def literal(v):
    if isinstance(v, str):
        return repr(v) if "'" not in v else '"%s"' % v
    return repr(v)


def make_config(r, variables, index):
    lines = ['# -*- coding: utf-8 -*-' if r.random() < 0.7 else '# generated config', '# config %d' % index]
    names = [v for v in variables if v['name'] not in ('name',)]
    hvm = r.random() < 0.4
    code = r.random() < 0.3
    lines += xm_differential.head_lines(r, 'gen', index, code, hvm, KERNELS)
    for spec in r.sample(names, r.randrange(2, 10)):
        if spec['name'] in ('builder', 'kernel'):
            continue
        name = spec['name']
        if r.random() < 0.05:
            name = name[:-1] + name[-1:] * 2  # a typo
        line = '%s = %s' % (name, literal(value_for(r, spec)))
        if code and r.random() < 0.2:
            lines.append('if vmid > 1:')
            lines.append('    ' + line)
            lines.append('else:')
            lines.append('    pass')
        else:
            lines.append(line)
    if code and r.random() < 0.3:
        lines.append("extra = 'console=hvc0 xencons=tty%d' % vmid")
    if code and r.random() < 0.2:
        lines.append("if os.path.exists('/boot/vmlinuz-golden'):\n    ramdisk = '/boot/initrd-golden'")
    if code and r.random() < 0.1:
        lines.append('for i in range(2):\n    disk = disk + [] if "disk" in dir() else []')
    return '\n'.join(lines) + '\n'


def main():
    xmc, seed, count, outdir = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
    schema = json.loads(subprocess.run([xmc, 'schema', '--format', 'json'], check=True,
                                       capture_output=True).stdout)
    variables = [v for v in schema['variables']]
    r = random.Random(seed)
    os.makedirs(outdir, exist_ok=True)
    for i in range(count):
        with open(os.path.join(outdir, 'gen%04d.cfg' % i), 'w', encoding='utf-8') as f:
            f.write(make_config(r, variables, i))


if __name__ == '__main__':
    main()
