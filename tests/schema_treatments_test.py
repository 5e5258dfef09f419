"""The schema's back-end columns tell the truth (issue 7): a variable a back end claims to
write with its own code (`custom`) is read by that back end's writer, and one it leaves out
(`drop`, `ignore`) is not read by the back end's own writer. The writers of each back end
are listed below; xend.cc holds what several share, sxp.cc the SXP that XenStore stores and
the Xen-API XML is converted from. The columns come from `xmc schema --format json`."""

import json
import os
import re
import subprocess
import sys

import xmtest

WRITERS = {
    'sxp': ['sxp.cc', 'xend.cc'],
    'xml': ['xm_xml.cc', 'sxp.cc'],
    'xenstore': ['xenstore.cc', 'xend.cc', 'sxp.cc'],
    'xl': ['xl.cc', 'xend.cc'],
    'libvirt': ['libvirt.cc', 'xend.cc'],
}


def main():
    tally = xmtest.Tally()
    schema = json.loads(subprocess.run([xmtest.XMC, 'schema', '--format', 'json'], check=True,
                                       capture_output=True).stdout)
    emit = os.path.join(xmtest.SOURCE_DIR, 'compiler', 'emit')
    code = {b: [open(os.path.join(emit, f), encoding='utf-8').read() for f in files]
            for b, files in WRITERS.items()}
    for var in schema['variables']:
        name = var['name']
        # A writer reads a variable as c.NAME, through Effective(c, &DomainConfig::NAME),
        # by its key "NAME", or (builder) through guest_type().
        reads = r'\bc_?\.%s\b|DomainConfig::%s\b|"%s"' % (name, name, name)
        if name == 'builder':
            reads += r'|guest_type\(\)'
        direct = r'\bc_?\.%s\b|DomainConfig::%s\b' % (name, name)
        for backend in WRITERS:
            treatment = var['backends'].get(backend, {}).get('treatment')
            tally.check(treatment is not None, '%s: %s has no treatment' % (backend, name))
            if treatment == 'custom':
                tally.check(any(re.search(reads, c) for c in code[backend]),
                            '%s: %s is marked custom but its writers never read it' % (backend, name))
            elif treatment in ('ignore', 'drop'):
                # Only the back end's own writer: the shared ones serve other back ends too.
                tally.check(re.search(direct, code[backend][0]) is None,
                            '%s: %s is marked %s but its writer reads it' % (backend, name, treatment))
    return tally.finish('schema treatments')


if __name__ == '__main__':
    sys.exit(main())
