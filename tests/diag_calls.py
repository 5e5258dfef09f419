"""Every `Add(DiagId::kX, file, span, path, args...)` call passes as many arguments as the
catalogue format of kX has placeholders (a mismatch would lose the message)."""

import glob
import os
import re
import sys

import xmtest


def split_args(text):
    parts, depth, cur, k = [], 0, '', 0
    while k < len(text):
        c = text[k]
        if c == '"':
            e = k + 1
            while text[e] != '"':
                e += 2 if text[e] == '\\' else 1
            cur += text[k:e + 1]
            k = e + 1
            continue
        if text.startswith('->', k):
            cur += '->'
            k += 2
            continue
        if c in '([{':
            depth += 1
        elif c in ')]}':
            depth -= 1
        if c == ',' and depth == 0:
            parts.append(cur)
            cur = ''
        else:
            cur += c
        k += 1
    parts.append(cur)
    return parts


def main():
    src = xmtest.SOURCE_DIR
    formats = {}
    for line in open(os.path.join(src, 'compiler/base/diagnostics.def')):
        m = re.match(r'DIAG\((\w+), "[^"]+", \w+, \w+, "(.*)"\)\s*$', line)
        if m:
            formats[m.group(1)] = m.group(2).count('{}')
    calls = bad = 0
    files = glob.glob(os.path.join(src, 'compiler/**/*.cc'), recursive=True) + \
        glob.glob(os.path.join(src, 'cli/*.cc'))
    for path in sorted(files):
        s = open(path).read()
        for m in re.finditer(r'\bAdd\(DiagId::k(\w+),', s):
            i = j = m.end()
            depth = 1
            while depth:
                c = s[j]
                if c == '"':
                    j += 1
                    while s[j] != '"':
                        j += 2 if s[j] == '\\' else 1
                elif c in '([{':
                    depth += 1
                elif c in ')]}':
                    depth -= 1
                j += 1
            n = len(split_args(s[i:j - 1])) - 3  # file, span, path
            calls += 1
            if n != formats[m.group(1)]:
                bad += 1
                print('%s:%d: k%s gets %d arguments, its format has %d placeholders'
                      % (os.path.relpath(path, src), s[:m.start()].count('\n') + 1, m.group(1), n,
                         formats[m.group(1)]))
    print('diagnostic calls: %d passed, %d failed' % (calls - bad, bad))
    return 1 if bad or not calls else 0


if __name__ == '__main__':
    sys.exit(main())
