"""The order of the platform keys in the one-line image xend writes to /vm/<uuid>/image
(issue 8). xend builds that image by iterating the dict display XENAPI_PLATFORM_CFG_TYPES
of XendConfig.py; xmc computes CPython 2.7's iteration order for it. This test takes the
display from the real xm 4.4's XendConfig.py, asks Python 2.7 for its keys(), and compares
that order with the image of an HVM config that sets every platform key xm can set.
Skips without Python 2.7 or without the xm44 tree."""

import os
import re
import shutil
import subprocess
import sys

import xmtest

XENDCONFIG = os.path.join(xmtest.SHARED, 'tools', 'xm44', 'python', 'xen', 'xend', 'XendConfig.py')

# Every platform key as an xm variable, with a value that puts it into the image.
# `pci` is always in an HVM image;
# `monitor_path` is its own variable (xm.md 3.2).
SETTINGS = {
    'acpi': '1', 'apic': '1', 'boot': '"dc"', 'device_model': '"qemu-dm"', 'display': '":0"',
    'fda': '"/srv/a.img"', 'fdb': '"/srv/b.img"', 'keymap': '"de"', 'isa': '1', 'localtime': '1',
    'monitor': '1', 'monitor_path': '"/var/run/qemu.mon"', 'nographic': '0', 'pae': '1', 'rtc_timeoffset': '60', 'parallel': '"none"',
    'serial': '"pty"', 'sdl': '1', 'opengl': '1', 'soundhw': '"sb16"', 'stdvga': '1', 'videoram': '8',
    'usb': '1', 'usbdevice': '"tablet"', 'hpet': '1', 'vnc': '1', 'vncconsole': '1', 'vncdisplay': '2',
    'vnclisten': '"0.0.0.0"', 'timer_mode': '1', 'tsc_mode': '1', 'vpt_align': '1', 'viridian': '1',
    'vncpasswd': '"pw"', 'vncunused': '0', 'xauthority': '"/root/.Xauthority"', 'vhpt': '5',
    'guest_os_type': '"linux"', 'hap': '1', 'nestedhvm': '1', 'xen_extended_power_mgmt': '1',
    'pci_msitranslate': '1', 'pci_power_mgmt': '1', 'xen_platform_pci': '1', 'gfx_passthru': '1',
    'oos': '1',
}


def python_keys(py):
    """keys() of the real dict display, under Python 2.7."""
    with open(XENDCONFIG) as f:
        source = f.read()
    m = re.search(r'^XENAPI_PLATFORM_CFG_TYPES = (\{.*?^\})', source, re.S | re.M)
    if not m:
        raise SystemExit('FAIL: XENAPI_PLATFORM_CFG_TYPES not found in %s' % XENDCONFIG)
    out = subprocess.run([py, '-c', 'import sys\nd = ' + m.group(1) + '\nsys.stdout.write(" ".join(d.keys()))'],
                         stdout=subprocess.PIPE, check=True, universal_newlines=True).stdout
    return out.split()


def image_keys():
    """The keys of the image xmc writes for an HVM config that sets every platform key."""
    root = xmtest.make_reference_root()
    cfg = os.path.join(root, 'etc/xen/platform')
    lines = ['builder = "hvm"', 'kernel = "hvmloader"', 'memory = 256', 'name = "order"']
    lines += ['%s = %s' % kv for kv in sorted(SETTINGS.items())]
    xmtest.write_text(cfg, '\n'.join(lines) + '\n')
    p = subprocess.run([xmtest.XMC, '--root', root, 'compile', '--emit', 'xenstore', 'platform'],
                       cwd=os.path.dirname(cfg), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       universal_newlines=True, env=xmtest.REFERENCE_ENV)
    shutil.rmtree(root)
    if p.returncode != 0:
        raise SystemExit('FAIL: xmc compile --emit xenstore: %s' % p.stderr)
    line = next(l for l in p.stdout.splitlines() if re.match(r'/vm/[^/]+/image = ', l))
    return re.findall(r'\((\w+) ', line.split(' = ', 1)[1])


def main():
    py = xmtest.python27()
    if not py:
        print('SKIP: platform order: no Python 2.7 interpreter (set XM44_PYTHON)')
        return xmtest.SKIP
    if not os.path.exists(XENDCONFIG):
        print('SKIP: platform order: xm44 not found at %s' % XENDCONFIG)
        return xmtest.SKIP
    expected = python_keys(py)
    got = [k for k in image_keys() if k in expected]
    missing = sorted(set(expected) - set(got))
    t = xmtest.Tally()
    t.check(not missing, 'every platform key reaches the image (missing: %s)' % ' '.join(missing))
    t.check(got == [k for k in expected if k in got],
            'image order is Python 2.7\'s keys() order\n  python2.7: %s\n  xmc:       %s'
            % (' '.join(k for k in expected if k in got), ' '.join(got)))
    print('platform order: %d keys, %s' % (len(got), 'same order as Python 2.7' if not t.failures else 'differs'))
    return t.finish('platform order')


if __name__ == '__main__':
    sys.exit(main())
