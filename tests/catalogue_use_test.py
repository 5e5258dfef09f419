#!/usr/bin/env python3
"""Every sentence xmc says is a catalogue row (issue 21): a diagnostic's message and its
notes come from compiler/base/diagnostics.def, never from text the calling code builds.
Outside the diagnostics module no code adds a note itself (`notes.push_back`: notes are
NOTE rows, added with Diagnostic::AddNote), and no argument of Diagnostics::Add is a
fragment of a sentence (a string literal starting with '; ', ': ', ', ' or ' (': such a
variant is a {select:...} alternative of the row, chosen with a Choice). The counts of
arguments and Choices are checked by the compiler (static_assert in diagnostics.h).

Usage: catalogue_use_test.py"""

import os
import re
import subprocess
import sys

import xmtest

MODULE = {'compiler/base/diagnostics.h', 'compiler/base/diagnostics.cc'}
NOTE_WRITE = re.compile(r'(?:\.|->)notes\s*(?:\.\s*(?:push_back|emplace_back|insert)\s*\(|=[^=])')
ADD_CALL = re.compile(r'\b(?:Add|AddNote)<(?:DiagId|NoteId)::k\w+>\s*\(')
LITERAL = re.compile(r'"((?:[^"\\]|\\.)*)"')
FRAGMENT_STARTS = ('; ', ': ', ', ', ' (')


def call_text(text, start):
    """The argument text of the call whose '(' is at `start`."""
    depth, i = 0, start
    while i < len(text):
        c = text[i]
        if c == '"':
            i += 1
            while i < len(text) and text[i] != '"':
                i += 2 if text[i] == '\\' else 1
        elif c == '(':
            depth += 1
        elif c == ')':
            depth -= 1
            if depth == 0:
                return text[start:i + 1]
        i += 1
    return text[start:]


def main():
    tally = xmtest.Tally()
    listed = subprocess.run(['git', 'ls-files', '*.cc', '*.h'], cwd=xmtest.SOURCE_DIR, stdout=subprocess.PIPE,
                            text=True, check=True).stdout.split()
    files = [f for f in listed if f.startswith(('compiler/', 'cli/', 'runtime/', 'bindings/'))
             and not f.endswith('_test.cc') and f not in MODULE]
    calls = 0
    for path in files:
        with open(os.path.join(xmtest.SOURCE_DIR, path), errors='replace') as f:
            text = f.read()
        for m in NOTE_WRITE.finditer(text):
            line = text.count('\n', 0, m.start()) + 1
            tally.check(False, '%s:%d: a note written by hand: make it a NOTE row (Diagnostic::AddNote)' % (path, line))
        for m in ADD_CALL.finditer(text):
            calls += 1
            args = call_text(text, m.end() - 1)
            frags = [s for s in LITERAL.findall(args) if s.startswith(FRAGMENT_STARTS)]
            line = text.count('\n', 0, m.start()) + 1
            tally.check(not frags, '%s:%d: a fragment of a sentence passed to the catalogue (%r): make it a '
                        '{select:...} alternative of the row' % (path, line, frags[:1]))
    tally.check(calls > 100, 'the calls of the catalogue are found (%d)' % calls)
    return tally.finish('catalogue use (%d files, %d calls)' % (len(files), calls))


if __name__ == '__main__':
    sys.exit(main())
