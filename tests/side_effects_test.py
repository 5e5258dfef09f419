"""Every side effect sits behind Host (issue 7): outside its implementation
(compiler/host/: host.cc, real.cc, confined.cc), no code of xmc's reads the environment, walks the file system with
std::filesystem, opens files or takes randomness itself, and the config evaluator reaches
the machine only through the Host client (no open(), no os.* but os.stat_result, no
sockets). The build-time tool (tools/) is not part of xmc."""

import glob
import os
import re
import sys

import xmtest

CPP_FORBIDDEN = [
    (re.compile(r'\bstd::filesystem\b|<filesystem>'), 'std::filesystem'),
    (re.compile(r'\bgetenv\s*\('), 'getenv'),
    (re.compile(r'/dev/urandom'), '/dev/urandom'),
    (re.compile(r'(?<![\w.>])(?:::)?open\s*\(|\bfopen\s*\(|\bstd::[io]?fstream\b|\bopendir\s*\('), 'open('),
]
PY_FORBIDDEN = [
    (re.compile(r'(?<![\w.])open\s*\('), 'open('),
    (re.compile(r'\bos\.(?!stat_result\b)(?!path\b as)[a-z_]+\s*\('), 'a call into the real os module'),
    (re.compile(r'\bsocket\.socket\b|\bfcntl\b|\bsubprocess\b'), 'sockets or processes'),
]


def code_lines(path):
    with open(path, encoding='utf-8') as f:
        for n, line in enumerate(f, 1):
            stripped = line.split('//')[0] if path.endswith(('.cc', '.h')) else line.split('#')[0]
            yield n, stripped


def main():
    tally = xmtest.Tally()
    src = xmtest.SOURCE_DIR
    files = [f for d in ('compiler', 'cli', 'bindings', 'runtime')
             for f in glob.glob(os.path.join(src, d, '**', '*.*'), recursive=True)]
    # compiler/host/ is the Host; the evaluator worker opens /dev/null for its children's 0, 1, 2.
    # -o's output file (cli/output.cc) is xmc's own output, not something it learns. The
    # runtime's real driver (xen.cc: saved images) and monitor daemon (daemon.cc: its log)
    # are the implementations behind the runtime's interfaces, as host.cc is behind Host.
    allowed = {os.path.join(src, 'compiler', 'host', f) for f in ('host.cc', 'real.cc', 'confined.cc')}
    allowed |= {os.path.join(src, 'cli', 'eval_worker.cc'),
               os.path.join(src, 'cli', 'output.cc'), os.path.join(src, 'runtime', 'xen.cc'),
               os.path.join(src, 'runtime', 'daemon.cc')}
    # bindings/*.py are the Python module's tests and examples: programs that use xmc, as a
    # user's would (the package itself, bindings/python/xmc/, is checked).
    users = set(glob.glob(os.path.join(src, 'bindings', '*.py')))
    for path in sorted(files):
        rel = os.path.relpath(path, src)
        if path in allowed or path in users or path.endswith('_test.cc'):
            continue
        rules = CPP_FORBIDDEN if path.endswith(('.cc', '.h')) else PY_FORBIDDEN if path.endswith('.py') else []
        for n, line in code_lines(path) if rules else []:
            for pattern, what in rules:
                if pattern.search(line):
                    tally.check(False, '%s:%d: %s outside Host: %s' % (rel, n, what, line.strip()))
        tally.check(True, rel)
    # The rule has teeth: it finds what it forbids.
    tally.check(CPP_FORBIDDEN[1][0].search('const char* v = std::getenv("X");') is not None, 'getenv is found')
    tally.check(CPP_FORBIDDEN[3][0].search('int fd = ::open(p, O_RDONLY);') is not None, '::open is found')
    tally.check(PY_FORBIDDEN[0][0].search("with open('/etc/passwd') as f:") is not None, 'open( is found')
    tally.check(PY_FORBIDDEN[1][0].search("os.system('x')") is not None, 'os.system is found')
    return tally.finish('side effects')


if __name__ == '__main__':
    sys.exit(main())
