"""`xmc compile --emit libvirt` against libvirt.

1. Every corpus and golden config xmc accepts gives XML that libvirt's RelaxNG schema
   (/usr/share/libvirt/schemas/domain.rng, Debian package libvirt0) accepts; validated
   with libxml2's xmllint.
2. For the cfg->xml pairs of shared/corpus/libvirt/xmconfigdata (the test-*.cfg files that
   libvirt 4.0.0's xmconfigtest converts; sexpr2xml-pv-bootloader is no converter test and
   is left out), xmc's XML equals libvirt's after canonicalisation (attribute order and
   whitespace do not count) and after these documented differences, applied to
   libvirt's expected XML:

| # | libvirt 4.0.0 wrote                                   | xmc writes                                 | why |
| - | ---                                                   | ---                                        | --- |
| 1 | `<type arch='i686' ...>` (its test capabilities)      | `arch='x86_64'`                            | the architecture of an x86_64 Xen host, as current libvirt writes it |
| 2 | HVM without hpet: no `<timer name='hpet'>`            | `<timer name='hpet' present='no'/>` in `<clock>` | xm's HPET default was off; libxl's is on, so an absent timer would switch it on |
| 3 | cpu_weight / cpu_cap ignored                          | `<cputune><shares>`, `<period>`/`<quota>`  | keeps xm's scheduler settings (no corpus pair sets them) |
"""

import copy
import os
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

import xmtest

RNG = '/usr/share/libvirt/schemas/domain.rng'


def canonical(elem):
    return (elem.tag, tuple(sorted(elem.attrib.items())), (elem.text or '').strip(),
            tuple(canonical(c) for c in elem))


def apply_differences(root):
    root = copy.deepcopy(root)
    for t in root.iter('type'):
        if 'arch' in t.attrib:
            t.set('arch', 'x86_64')
    os_type = root.find('os/type')
    if os_type is not None and os_type.text == 'hvm':
        clock = root.find('clock')
        if clock is not None and clock.find("timer[@name='hpet']") is None:
            ET.SubElement(clock, 'timer', {'name': 'hpet', 'present': 'no'})
    return root


def first_difference(a, b, path=''):
    if a.tag != b.tag:
        return '%s: <%s> vs <%s>' % (path, a.tag, b.tag)
    here = '%s/%s' % (path, a.tag)
    if dict(a.attrib) != dict(b.attrib):
        return '%s: attributes %s vs %s' % (here, dict(a.attrib), dict(b.attrib))
    if (a.text or '').strip() != (b.text or '').strip():
        return '%s: text %r vs %r' % (here, (a.text or '').strip(), (b.text or '').strip())
    ca, cb = list(a), list(b)
    for i, (x, y) in enumerate(zip(ca, cb)):
        d = first_difference(x, y, '%s[%d]' % (here, i))
        if d:
            return d
    if len(ca) != len(cb):
        extra = ca[len(cb):] or cb[len(ca):]
        return '%s: %d vs %d children (first extra <%s>)' % (here, len(ca), len(cb), extra[0].tag)
    return None


def main():
    if not os.path.exists(RNG) or shutil.which('xmllint') is None:
        print('SKIP: needs %s (Debian package libvirt0) and xmllint (libxml2-utils)' % RNG)
        return xmtest.SKIP
    xmtest.require_corpus()
    root = xmtest.make_reference_root()
    work = tempfile.mkdtemp(prefix='xmc-libvirt-')
    valid = accepted = 0
    same = pairs = 0
    try:
        for config, _, vars_, cfg_root in xmtest.backend_cases(root):
            name = os.path.basename(config)
            cwd = os.path.join(root, 'etc/xen')
            shutil.copyfile(config, os.path.join(cwd, name))
            p = subprocess.run([xmtest.XMC, '--root', cfg_root, 'compile', '--emit', 'libvirt', name] + vars_,
                               cwd=cwd, env=xmtest.REFERENCE_ENV, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               timeout=60)
            if p.returncode != 0:
                continue  # xmc rejects the config
            accepted += 1
            out = os.path.join(work, name + '.xml')
            with open(out, 'wb') as f:
                f.write(p.stdout)
            v = subprocess.run(['xmllint', '--noout', '--relaxng', RNG, out], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, timeout=60)
            if v.returncode == 0:
                valid += 1
            else:
                print('INVALID: %s: %s' % (name, v.stderr.decode().strip()[:500]))
            expected = os.path.splitext(config)[0] + '.xml'
            in_pairs = os.path.dirname(config).endswith('libvirt/xmconfigdata') and name.startswith('test-')
            if in_pairs and os.path.exists(expected):
                pairs += 1
                want = apply_differences(ET.parse(expected).getroot())
                have = ET.fromstring(p.stdout)
                if canonical(want) == canonical(have):
                    same += 1
                else:
                    print('DIFFERS: %s: %s' % (name, first_difference(want, have)))
    finally:
        shutil.rmtree(root, ignore_errors=True)
        shutil.rmtree(work, ignore_errors=True)
    print('libvirt: %d/%d accepted configs valid against libvirt\'s RelaxNG schema' % (valid, accepted))
    print('libvirt: %d/%d xmconfigdata pairs equal libvirt\'s XML after the documented differences'
          % (same, pairs))
    return 0 if valid == accepted and accepted and same == pairs and pairs else 1


if __name__ == '__main__':
    sys.exit(main())
