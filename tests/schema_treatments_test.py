"""The schema's back-end columns tell the truth (issue 7): a variable a back end claims to
write with its own code (`custom`) is read by that back end's writer, and one it leaves out
(`drop`, `ignore`) is not read there. The writers of each back end are listed below; xend.cc
holds what several share. The schema comes from `xmc schema --format json` and the YAML."""

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


def treatments():
    """{backend: {variable: word}} from the YAML text (custom / sxp / drop / ignore / generic)."""
    with open(os.path.join(xmtest.SOURCE_DIR, 'schema', 'xm-vars.yaml'), encoding='utf-8') as f:
        text = f.read()
    out = {b: {} for b in WRITERS}
    for entry in re.split(r'(?m)^  - \{name: ', text)[1:]:
        name = entry.split(',')[0]
        sxp = re.search(r'\bsxp: (\{at: hvm|\w+)', entry).group(1)
        out['sxp'][name] = 'generic' if sxp.startswith('{') else ('ignore' if sxp == 'none' else 'custom')
        for b in ('xml', 'xenstore', 'xl', 'libvirt'):
            m = re.search(r'\b%s: (\{?\w+)' % b, entry)
            out[b][name] = m.group(1).lstrip('{') if m else 'ignore'  # the defaults are ignore
    return out


def main():
    tally = xmtest.Tally()
    emit = os.path.join(xmtest.SOURCE_DIR, 'compiler', 'emit')
    for backend, by_var in treatments().items():
        code = [open(os.path.join(emit, f), encoding='utf-8').read() for f in WRITERS[backend]]
        for var, word in sorted(by_var.items()):
            # A writer reads a variable as c.NAME, through Effective(c, &DomainConfig::NAME),
            # by its SXP key "NAME", or (builder) through guest_type().
            pattern = r'\bc_?\.%s\b|DomainConfig::%s\b|"%s"' % (var, var, var)
            if var == 'builder':
                pattern += r'|guest_type\(\)'
            if word == 'custom':
                reads = any(re.search(pattern, c) for c in code)
                tally.check(reads, '%s: %s is marked custom but its writers never read it' % (backend, var))
            elif word == 'ignore':
                # Only the back end's own writer: the shared ones serve other back ends too.
                direct = re.search(r'\bc_?\.%s\b|DomainConfig::%s\b' % (var, var), code[0]) is not None
                tally.check(not direct, '%s: %s is marked ignore but its writer reads it' % (backend, var))
            else:
                tally.check(True, '%s: %s' % (backend, var))
    return tally.finish('schema treatments')


if __name__ == '__main__':
    sys.exit(main())
