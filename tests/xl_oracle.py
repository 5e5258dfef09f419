"""xmc's xl back ends against the real xl 4.17 (../shared/tools/xl-dryrun).

1. xl.cfg round trip: for every corpus and golden config xmc accepts, the real xl parses
   `xmc compile --emit xl` with no warnings, and its JSON equals `xmc compile --emit
   libxl-json` for the original config (c_info.uuid ignored when the config sets none: xl
   generates one at random).

2. libxl JSON: for every declarative corpus config that both xl and xmc accept, xmc's
   `--emit libxl-json` equals the JSON the real xl printed for the original file
   (shared/corpus/expected/*.xl.json) once the differences below, where xmc keeps xm's
   meaning, are applied to xl's JSON:

| # | when the xm config...                      | xm meant                          | change applied to xl's JSON |
| - | ---                                         | ---                               | --- |
| 1 | sets no uuid                                | a fresh one                       | c_info.uuid ignored on both sides |
| 2 | sets no memory                              | 128 MiB (xl: libxl's 32)          | b_info.max_memkb/target_memkb = 131072 (max from maxmem if set) |
| 3 | sets no on_crash (and no restart)           | xend's default restart            | on_crash = "restart" |
| 4 | is HVM and sets no hpet                     | no HPET (xl's default is on)      | type.hvm.hpet = "False" |
| 5 | is HVM and sets no vnc                      | no VNC server (xl's default is on)| type.hvm.vnc.enable = "False" |
| 6 | is HVM and sets no boot                     | boot from disk "c" (xl: "cda")    | type.hvm.boot = "c" |
| 7 | has a disk phy:NAME without a leading /     | /dev/NAME                         | that disk's pdev_path gains "/dev/" |
| 8 | has a bootloader                            | bootargs split on blanks, or "-q" | b_info.bootloader_args = bootargs.split() or ["-q"] (xl has no "bootargs") |
| 9 | sets ip or dhcp (PV)                        | xend put ip=... on the command line | b_info.cmdline gains "ip=IP:NFS:GW:MASK:HOST:IF:DHCP " after root= |
| 10| has a vfb with type=vnc or type=sdl         | vnc=1 / sdl=1 (xl ignores "type") | that vfb's vnc.enable / sdl.enable = "True" |
| 11| has a vif with a type other than ioemu      | a PV-only NIC                     | that nic's nictype = "vif" (xl rejects the value) |
| 12| has pci devices and no pci_msitranslate     | MSI translation on (xm default 1) | each pcidev without msitranslate=0 gets msitranslate = true |
| 13| has device_model = "stubdom-dm" (HVM)       | a stub-domain device model        | b_info.device_model_stubdomain = "True" (xl ignores device_model) |
| 14| names a kernel or ramdisk by a relative path| relative to the current directory | b_info.kernel / ramdisk made absolute (the reference ran in /etc/xen) |
"""

import copy
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

import xmtest

ALLOWED_STDERR = [re.compile(r'^Parsing config from '), re.compile(r'^got a tsc mode string: ')]


def xmc(root, cwd, args):
    p = subprocess.run([xmtest.XMC, '--root', root] + args, cwd=cwd, env=xmtest.REFERENCE_ENV,
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=60)
    return p.returncode, p.stdout.decode('utf-8', 'replace'), p.stderr.decode('utf-8', 'replace')


def xl(path):
    return xmtest.run_xl_dryrun(path)


def config_values(root, cwd, name, vars_):
    rc, out, _ = xmc(root, cwd, ['compile', '--emit', 'values', name] + vars_)
    if rc != 0:
        return None
    return {b['name']: b['value'] for b in json.loads(out)['bindings']}


def plain(v):
    """A value of --emit values as plain Python data."""
    if v is None:
        return None
    if v['type'] in ('list', 'tuple'):
        return [plain(x) for x in v['value']]
    return v['value']


def apply_differences(xl_json, values):
    """The documented table, applied to the JSON xl printed for the original config."""
    j = copy.deepcopy(xl_json)
    get = lambda k: plain(values.get(k)) if k in values else None
    hvm = get('builder') == 'hvm'
    b = j['b_info']
    if get('memory') is None:
        mem = 128
        b['target_memkb'] = mem * 1024
        b['max_memkb'] = (get('maxmem') or mem) * 1024
    if get('on_crash') is None and get('restart') is None:
        j['on_crash'] = 'restart'
    if hvm:
        h = b.setdefault('type.hvm', {})
        if get('hpet') is None:
            h['hpet'] = 'False'
        if get('vnc') is None:
            h.setdefault('vnc', {})['enable'] = 'False'
        if get('boot') is None:
            h['boot'] = 'c'
    for i, spec in enumerate(get('disk') or []):
        m = re.match(r'phy:([^/,][^,]*),', spec)
        if m and i < len(j.get('disks', [])):
            j['disks'][i]['pdev_path'] = '/dev/' + j['disks'][i]['pdev_path']
    if get('bootloader'):
        b['bootloader_args'] = (get('bootargs') or '-q').split()
    if hvm and 'stubdom-dm' in (get('device_model') or ''):
        b['device_model_stubdomain'] = 'True'
    for key in ('kernel', 'ramdisk'):
        if not hvm and key in b and not b[key].startswith('/'):
            b[key] = os.path.normpath(os.path.join('/etc/xen', b[key]))
    if not hvm and (get('ip') or (get('dhcp') or 'off') != 'off') and 'cmdline' in b:
        ip = '%s:%s:%s:%s:%s:%s:%s' % (get('ip') or '', get('nfs_server') or '127.0.255.255', get('gateway') or '',
                                       get('netmask') or '', get('hostname') or '', get('interface') or 'eth0',
                                       get('dhcp') or 'off')
        root = get('root') or ''
        root = root[5:] if root.startswith('root=') else root
        rest = b['cmdline'][len('root=' + root + ' '):] if root else b['cmdline']
        b['cmdline'] = ('root=%s ' % root if root else '') + 'ip=%s ' % ip + rest
    for i, spec in enumerate(get('vfb') or []):
        m = re.search(r'type=(vnc|sdl)', spec)
        if m and i < len(j.get('vfbs', [])):
            j['vfbs'][i].setdefault(m.group(1), {})['enable'] = 'True'
    for i, spec in enumerate(get('vif') or []):
        m = re.search(r'type=\s*(\w+)', spec)
        if m and m.group(1) != 'ioemu' and i < len(j.get('nics', [])):
            j['nics'][i]['nictype'] = 'vif'
    if get('pci') and get('pci_msitranslate') is None:
        for i, spec in enumerate(get('pci')):
            if 'msitranslate=0' not in spec and i < len(j.get('pcidevs', [])):
                j['pcidevs'][i]['msitranslate'] = True
    return j


def strip_uuid(j, values):
    if 'uuid' not in values:
        j.get('c_info', {}).pop('uuid', None)
    return j


def first_difference(a, b, path=''):
    if type(a) != type(b):
        return '%s: %r vs %r' % (path, a, b)
    if isinstance(a, dict):
        for k in list(a) + [k for k in b if k not in a]:
            if k not in a or k not in b:
                return '%s.%s: %s' % (path, k, 'only in xl' if k in a else 'only in xmc')
            d = first_difference(a[k], b[k], path + '.' + k)
            if d:
                return d
        return None
    if isinstance(a, list):
        if len(a) != len(b):
            return '%s: %d vs %d items' % (path, len(a), len(b))
        for i, (x, y) in enumerate(zip(a, b)):
            d = first_difference(x, y, '%s[%d]' % (path, i))
            if d:
                return d
        return None
    return None if a == b else '%s: %r vs %r' % (path, a, b)


def main():
    why = xmtest.xl_unavailable()
    if why:
        print('SKIP: %s' % why)
        return xmtest.SKIP
    xmtest.require_corpus()
    root = xmtest.make_reference_root()
    work = tempfile.mkdtemp(prefix='xmc-xl-')
    roundtrip_ok = roundtrip_total = 0
    json_ok = json_total = 0
    try:
        for config, prefix, vars_, cfg_root in xmtest.backend_cases(root):
            name = os.path.basename(config)
            cwd = os.path.join(root, 'etc/xen')
            shutil.copyfile(config, os.path.join(cwd, name))
            rc, xl_cfg, _ = xmc(cfg_root, cwd, ['compile', '--emit', 'xl', name] + vars_)
            if rc != 0:
                continue  # xmc rejects the config: nothing to translate
            rc, ours_json, err = xmc(cfg_root, cwd, ['compile', '--emit', 'libxl-json', name] + vars_)
            values = config_values(cfg_root, cwd, name, vars_) or {}
            roundtrip_total += 1
            cfg_path = os.path.join(work, name + '.xl.cfg')
            with open(cfg_path, 'w') as f:
                f.write(xl_cfg)
            xrc, xout, xerr = xl(cfg_path)
            noise = [l for l in xerr.splitlines() if not any(p.match(l) for p in ALLOWED_STDERR)]
            problem = None
            if xrc != 0:
                problem = 'xl exit %d: %s' % (xrc, xerr.strip())
            elif noise:
                problem = 'xl warned: ' + ' | '.join(noise)
            else:
                a = strip_uuid(json.loads(xout), values)
                b = strip_uuid(json.loads(ours_json), values)
                problem = first_difference(a, b)
            if problem:
                print('XL.CFG %s: %s' % (name, problem))
            else:
                roundtrip_ok += 1
            # Part 2: against xl on the original, declarative corpus configs only.
            if prefix is None or not os.path.exists(prefix + '.xl.json'):
                continue
            if int(open(prefix + '.xl.rc').read()) != 0:
                continue
            nrc, _, _ = xmc(cfg_root, cwd, ['--frontend', 'native', 'compile', '--emit', 'values', name])
            if nrc != 0:
                continue  # Python code: xl cannot read it
            json_total += 1
            want = strip_uuid(apply_differences(json.load(open(prefix + '.xl.json')), values), values)
            have = strip_uuid(json.loads(ours_json), values)
            diff = first_difference(want, have)
            if diff:
                print('LIBXL-JSON %s: %s' % (name, diff))
            else:
                json_ok += 1
    finally:
        shutil.rmtree(root, ignore_errors=True)
        shutil.rmtree(work, ignore_errors=True)
    print('xl.cfg: %d/%d accepted configs round-trip through the real xl 4.17 without warnings'
          % (roundtrip_ok, roundtrip_total))
    print('libxl-json: %d/%d declarative configs equal xl\'s own JSON after the documented differences'
          % (json_ok, json_total))
    ok = roundtrip_ok == roundtrip_total and json_ok == json_total and roundtrip_total and json_total
    return 0 if ok else 1


if __name__ == '__main__':
    sys.exit(main())
