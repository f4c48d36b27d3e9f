#!/usr/bin/env python3
"""Checks the links of the guide (docs/src/**/*.md), README.md and python/README.md.

    python3 docs/check_links.py

- every relative link and image points at an existing file (or folder);
- every `#anchor` names a heading of its target (ids as mdBook and GitHub make them: lower case,
  spaces to `-`, other punctuation dropped, `-1`, `-2` … for repeats); a chapter's headings include
  what it pulls in with `{{#include FILE:ANCHOR}}`;
- a chapter links to other Markdown files only inside docs/src (mdBook turns every `.md` link into
  `.html`, so a link to a Markdown file elsewhere would be broken in the built book);
- every chapter is in SUMMARY.md, and every SUMMARY.md entry exists.

Exit status 1, with one line per problem, when anything is wrong. Only the standard library.
"""

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SRC = ROOT / "docs" / "src"

FENCE = re.compile(r"^\s*(```|~~~)")
CODE_SPAN = re.compile(r"(`+)(.+?)(?<!`)\1(?!`)", re.S)
LINK = re.compile(r"!?\[((?:[^\[\]]|\[[^\]]*\])*)\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
INCLUDE = re.compile(r"\{\{#include\s+([^}:\s]+)(?::([^}\s]+))?\s*\}\}")
ANCHOR_LINE = re.compile(r"ANCHOR(_END)?:\s*([\w-]+)")
EXTERNAL = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")


def prose(text):
    """The text outside fenced code blocks, line by line (code lines blanked)."""
    out, fenced = [], None
    for line in text.split("\n"):
        m = FENCE.match(line)
        if fenced is None and m:
            fenced = m.group(1)
            out.append("")
        elif fenced is not None:
            if line.strip().startswith(fenced) and line.strip().strip(fenced[0]) == "":
                fenced = None
            out.append("")
        else:
            out.append(line)
    return "\n".join(out)


def without_code_spans(text):
    return CODE_SPAN.sub(lambda m: " " * len(m.group(0)), text)


def expand_includes(path, text, seen=()):
    """The text with `{{#include FILE[:ANCHOR]}}` replaced by what mdBook puts there."""

    def include(m):
        target = (path.parent / m.group(1)).resolve()
        if target in seen or not target.is_file():
            return ""  # reported by check_file
        body = target.read_text(encoding="utf-8")
        if m.group(2):
            lines, inside = [], False
            for line in body.split("\n"):
                a = ANCHOR_LINE.search(line)
                if a and a.group(2) == m.group(2):
                    inside = a.group(1) is None
                    continue
                if inside and not ANCHOR_LINE.search(line):
                    lines.append(line)
            body = "\n".join(lines)
        return expand_includes(target, body, seen + (target,))

    return INCLUDE.sub(include, text)


def heading_id(title):
    title = LINK.sub(lambda m: m.group(1), title)  # a link's text
    title = re.sub(r"<[^>]+>", "", title)  # inline HTML
    title = title.replace("`", "").replace("*", "")
    out = []
    for ch in title.strip():
        if ch.isalnum() or ch in "_-":
            out.append(ch.lower())
        elif ch.isspace():
            out.append("-")
    return "".join(out)


_anchors = {}


def anchors(path):
    if path not in _anchors:
        text = prose(expand_includes(path, path.read_text(encoding="utf-8")))
        ids, counts = set(), {}
        for line in text.split("\n"):
            m = HEADING.match(line)
            if m:
                base = heading_id(m.group(2))
                n = counts.get(base, 0)
                counts[base] = n + 1
                ids.add(base if n == 0 else f"{base}-{n}")
        # explicit ids: <a id="x"> / <a name="x">
        ids.update(re.findall(r"<a\s+(?:id|name)=\"([^\"]+)\"", text))
        _anchors[path] = ids
    return _anchors[path]


def check_file(path, problems):
    raw = path.read_text(encoding="utf-8")
    rel = path.relative_to(ROOT)
    in_book = SRC in path.parents
    for m in INCLUDE.finditer(raw):
        if not (path.parent / m.group(1)).is_file():
            problems.append(f"{rel}: includes {m.group(1)}, which does not exist")
    text = without_code_spans(prose(raw))
    for m in LINK.finditer(text):
        target = m.group(2)
        line = text.count("\n", 0, m.start()) + 1
        where = f"{rel}:{line}"
        if EXTERNAL.match(target):
            continue
        file_part, _, anchor = target.partition("#")
        dest = (path.parent / file_part).resolve() if file_part else path
        if not dest.exists():
            problems.append(f"{where}: {target}: no such file")
            continue
        if in_book and file_part and dest.suffix == ".md" and SRC not in dest.parents:
            problems.append(f"{where}: {target}: a Markdown file outside docs/src (broken in the built book)")
        if anchor:
            if dest.is_dir() or dest.suffix != ".md":
                problems.append(f"{where}: {target}: an anchor into a file that is not Markdown")
            elif anchor not in anchors(dest):
                problems.append(f"{where}: {target}: no heading with id '{anchor}' in {dest.relative_to(ROOT)}")


def check_summary(problems):
    summary = SRC / "SUMMARY.md"
    listed = set()
    for m in LINK.finditer(without_code_spans(prose(summary.read_text(encoding="utf-8")))):
        dest = (SRC / m.group(2)).resolve()
        listed.add(dest)
    for chapter in sorted(SRC.rglob("*.md")):
        if chapter != summary and chapter.resolve() not in listed:
            problems.append(f"{chapter.relative_to(ROOT)}: not in docs/src/SUMMARY.md (mdBook would not build it)")


def main():
    problems = []
    files = sorted(SRC.rglob("*.md")) + [ROOT / "README.md", ROOT / "python" / "README.md"]
    for path in files:
        check_file(path, problems)
    check_summary(problems)
    for p in problems:
        print(p)
    links = sum(
        1
        for path in files
        for m in LINK.finditer(without_code_spans(prose(path.read_text(encoding="utf-8"))))
        if not EXTERNAL.match(m.group(2))
    )
    print(f"check_links: {len(files)} files, {links} relative links, {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
