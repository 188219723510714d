#!/usr/bin/env python3
"""check-doc-links.py: every relative link in README.md and docs/*.md must
name a file of the tree and, with #anchor, a heading of that file.

    scripts/check-doc-links.py [FILE.md...]   (default: README.md docs/*.md)

Prints one line per broken link, "FILE:LINE: [text](target): why", and
exits 1 if there was any.  Anchors are GitHub's: the heading in lower
case, characters other than letters, digits, spaces, '-' and '_'
dropped, spaces made '-', and "-1", "-2"... for repeats.  Links with a
scheme (http:, mailto:) are not checked: this is about the tree.
"""
import glob
import os
import re
import sys

LINK = re.compile(r'(?<!!)\[([^\]]*)\]\(([^)\s]+)\)')
HEADING = re.compile(r'^(#{1,6})\s+(.*?)\s*#*\s*$')
FENCE = re.compile(r'^\s*(```|~~~)')


def slug(text):
    text = re.sub(r'`', '', text).strip().lower()
    text = re.sub(r'[^\w\- ]', '', text)
    return text.replace(' ', '-')


def lines_outside_code(path):
    """(number, line) of the lines that are not in a fenced or indented
    code block: links and headings there are only examples."""
    fenced = False
    with open(path, encoding='utf-8') as f:
        for n, line in enumerate(f, 1):
            if FENCE.match(line):
                fenced = not fenced
                continue
            if fenced or line.startswith('    ') or line.startswith('\t'):
                continue
            yield n, line


def anchors(path, cache={}):
    if path not in cache:
        seen, out = {}, set()
        for _, line in lines_outside_code(path):
            m = HEADING.match(line)
            if not m:
                continue
            s = slug(m.group(2))
            if s in seen:
                seen[s] += 1
                s = '%s-%d' % (s, seen[s])
            else:
                seen[s] = 0
            out.add(s)
        cache[path] = out
    return cache[path]


def check(md):
    bad = []
    base = os.path.dirname(md)
    for n, line in lines_outside_code(md):
        # Inline code spans hold examples, not links.
        for text, target in LINK.findall(re.sub(r'`[^`]*`', '', line)):
            if re.match(r'^[a-z][a-z0-9+.-]*:', target):
                continue
            path, _, frag = target.partition('#')
            dest = os.path.normpath(os.path.join(base, path)) if path else md
            why = None
            if not os.path.exists(dest):
                why = 'no such file %s' % dest
            elif frag and dest.endswith('.md') and frag not in anchors(dest):
                why = 'no heading #%s in %s' % (frag, dest)
            if why:
                bad.append('%s:%d: [%s](%s): %s' % (md, n, text, target, why))
    return bad


def main(argv):
    files = argv or ['README.md'] + sorted(glob.glob('docs/*.md'))
    bad = []
    for md in files:
        bad += check(md)
    for b in bad:
        print(b)
    return 1 if bad else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
